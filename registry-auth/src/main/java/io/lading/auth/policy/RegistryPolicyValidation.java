package io.lading.auth.policy;

/**
 * All checks of {@code PutRegistryPolicy} (spec §15.2): length and grammar
 * ({@link PolicyDocument#parse} with {@link PolicyKind#REGISTRY}), resources limited to this
 * registry's repositories, the V1 action restriction, and principal existence. Stateless and
 * thread-safe.
 */
public final class RegistryPolicyValidation {

    private static final String[] V1 = RegistryPolicyScope.V1_ACTIONS.toArray(String[]::new);

    private RegistryPolicyValidation() {
    }

    /**
     * Validates a {@code PutRegistryPolicy} request.
     *
     * <p>A {@code Resource}/{@code NotResource} entry must be {@code *} or an ARN whose partition,
     * service, region and account fields (wildcards allowed) can name this registry
     * ({@code ecr}, {@code region}, {@code account}) and whose resource part starts with
     * {@code repository/} or {@code *}. Under {@link RegistryPolicyScope#V1} every action pattern
     * must cover at least one of {@link RegistryPolicyScope#V1_ACTIONS} (so {@code ecr:*} passes
     * and {@code ecr:BatchGetImage} does not), and {@code NotAction} is rejected.
     *
     * @throws PolicyInvalid with the exact {@code InvalidParameterException} message
     */
    public static PolicyDocument validate(String policyText, RegistryPolicyScope scope, String partition,
            String region, String account, PrincipalDirectory directory) {
        PolicyDocument policy = PolicyDocument.parse(policyText, PolicyKind.REGISTRY);
        for (Statement s : policy.statements()) {
            for (String resource : s.resourcePatterns()) {
                if (!resource.equals("*") && !namesThisRegistry(resource, partition, region, account)) {
                    throw PolicyKind.REGISTRY.malformed(PolicyKind.Violation.BAD_RESOURCE,
                            "resource outside this registry: " + resource);
                }
            }
            if (scope == RegistryPolicyScope.V1) {
                requireV1Actions(s);
            }
        }
        RepositoryPolicyValidation.requirePrincipalsExist(policy, directory);
        return policy;
    }

    private static boolean namesThisRegistry(String resource, String partition, String region, String account) {
        String[] fields = resource.split(":", 6);
        return fields.length == 6
                && Glob.of(fields[1], false).matches(partition)
                && Glob.of(fields[2], false).matches("ecr")
                && Glob.of(fields[3], false).matches(region)
                && Glob.of(fields[4], false).matches(account)
                && (fields[5].startsWith("repository/") || fields[5].startsWith("*"));
    }

    private static void requireV1Actions(Statement s) {
        if (s.notAction()) {
            throw PolicyKind.REGISTRY.malformed(PolicyKind.Violation.BAD_ACTION, "NotAction with scope V1");
        }
        for (String pattern : s.actionPatterns()) {
            Glob glob = Glob.of(pattern, true);
            boolean covers = false;
            for (String action : V1) {
                covers |= glob.matches(action);
            }
            if (!covers) {
                throw PolicyKind.REGISTRY.malformed(PolicyKind.Violation.BAD_ACTION, "action not allowed with scope V1: " + pattern);
            }
        }
    }
}
