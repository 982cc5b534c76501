package io.lading.auth.policy;

import java.util.Set;

/**
 * The registry policy scope (spec §8, §15.2): {@link #V2} (default) consults the registry policy
 * for every action; {@link #V1} only for {@code ecr:ReplicateImage},
 * {@code ecr:BatchImportUpstreamImage} and {@code ecr:CreateRepository}.
 *
 * <p>Immutable; thread-safe.
 */
public enum RegistryPolicyScope {
    V1,
    V2;

    /** The actions a V1 registry policy covers, canonical spelling. */
    public static final Set<String> V1_ACTIONS =
            Set.of("ecr:ReplicateImage", "ecr:BatchImportUpstreamImage", "ecr:CreateRepository");

    /** Whether the registry policy is consulted for {@code action} under this scope. */
    public boolean consults(String action) {
        if (this == V2) {
            return true;
        }
        for (String a : V1_ACTIONS) {
            if (a.equalsIgnoreCase(action)) {
                return true;
            }
        }
        return false;
    }
}
