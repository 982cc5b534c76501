package io.lading.auth.policy;

import java.util.List;
import java.util.Objects;

/**
 * The policies that bear on one request (spec §8), gathered by the caller: the identity policies
 * of the principal (user and its groups, or the role behind a session; managed policies
 * included), the repository policy of the request resource, and the registry policy of the
 * resource's registry with its scope.
 *
 * <p>Immutable and thread-safe; documents are shared, not copied.
 *
 * @param identity identity policies of the principal (empty for root)
 * @param repository the repository policy of the request resource, or null
 * @param registry the registry policy of the resource's registry, or null
 * @param registryScope the registry policy scope
 * @param registryAccount the account owning the registry (used as the resource account when the
 *     request resource is {@code *})
 */
public record AttachedPolicies(
        List<PolicyDocument> identity,
        PolicyDocument repository,
        PolicyDocument registry,
        RegistryPolicyScope registryScope,
        String registryAccount) {

    /** Checks that each document has the kind of its slot. */
    public AttachedPolicies {
        identity = List.copyOf(identity);
        Objects.requireNonNull(registryScope, "registryScope");
        Objects.requireNonNull(registryAccount, "registryAccount");
        for (PolicyDocument d : identity) {
            requireKind(d, PolicyKind.IDENTITY);
        }
        if (repository != null) {
            requireKind(repository, PolicyKind.REPOSITORY);
        }
        if (registry != null) {
            requireKind(registry, PolicyKind.REGISTRY);
        }
    }

    /** Identity policies only, scope V2, no resource policies. */
    public static AttachedPolicies identityOnly(String registryAccount, List<PolicyDocument> identity) {
        return new AttachedPolicies(identity, null, null, RegistryPolicyScope.V2, registryAccount);
    }

    /** A copy with another repository policy (e.g. the source repository of a blob mount). */
    public AttachedPolicies withRepository(PolicyDocument repositoryPolicy) {
        return new AttachedPolicies(identity, repositoryPolicy, registry, registryScope, registryAccount);
    }

    private static void requireKind(PolicyDocument d, PolicyKind kind) {
        if (d.kind() != kind) {
            throw new IllegalArgumentException("expected a " + kind + " policy, got " + d.kind());
        }
    }
}
