package io.lading.auth.policy;

/**
 * All checks of {@code SetRepositoryPolicy} (spec §15.1): length and grammar
 * ({@link PolicyDocument#parse}), principal existence, and the lock-out check. Also the
 * principal check shared with {@link RegistryPolicyValidation}. Stateless and thread-safe.
 */
public final class RepositoryPolicyValidation {

    /** The message of a principal that does not exist. */
    public static final String PRINCIPAL_NOT_FOUND = PolicyKind.constraint("PolicyText", "Principal not found");
    /** The message of the lock-out check. */
    public static final String WOULD_LOCK_OUT = PolicyKind.constraint("PolicyText",
            "The policy would prevent you from setting another policy in the future; use force to override");

    private static final String SET_REPOSITORY_POLICY = "ecr:SetRepositoryPolicy";

    private RepositoryPolicyValidation() {
    }

    /**
     * Validates a {@code SetRepositoryPolicy} request.
     *
     * @param policyText the {@code policyText} parameter
     * @param caller the context of the {@code SetRepositoryPolicy} request itself (its resource is
     *     the repository ARN); the lock-out check evaluates the new policy's Deny statements for
     *     {@code ecr:SetRepositoryPolicy} with it
     * @param force the {@code force} parameter
     * @param directory the identities of the managed accounts
     * @return the parsed policy, ready to store (store {@code policyText} verbatim)
     * @throws PolicyInvalid with the exact {@code InvalidParameterException} message
     */
    public static PolicyDocument validate(String policyText, RequestContext caller, boolean force,
            PrincipalDirectory directory) {
        PolicyDocument policy = PolicyDocument.parse(policyText, PolicyKind.REPOSITORY);
        requirePrincipalsExist(policy, directory);
        if (!force && wouldLockOut(policy, caller.withAction(SET_REPOSITORY_POLICY))) {
            throw new PolicyInvalid(PolicyInvalid.Reason.WOULD_LOCK_OUT, PolicyKind.INVALID_PARAMETER, WOULD_LOCK_OUT,
                    "a Deny applies to " + caller.callerArn() + " for " + SET_REPOSITORY_POLICY);
        }
        return policy;
    }

    private static boolean wouldLockOut(PolicyDocument policy, RequestContext ctx) {
        for (Statement s : policy.statements()) {
            if (!s.allow() && s.applies(ctx) != PrincipalPattern.NONE) {
                return true;
            }
        }
        return false;
    }

    /** Rejects IAM user/role ARNs of managed accounts that do not exist. */
    static void requirePrincipalsExist(PolicyDocument policy, PrincipalDirectory directory) {
        for (Statement s : policy.statements()) {
            if (s.principal() == null) {
                continue;
            }
            for (String arn : s.principal().namedIamArns()) {
                String account = RequestContext.accountOf(arn);
                if (directory.managesAccount(account) && !directory.exists(arn)) {
                    throw new PolicyInvalid(PolicyInvalid.Reason.PRINCIPAL_NOT_FOUND, PolicyKind.INVALID_PARAMETER,
                            PRINCIPAL_NOT_FOUND, "no such principal " + arn);
                }
            }
        }
    }
}
