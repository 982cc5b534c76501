package io.lading.http.authz;

import io.lading.auth.policy.PrincipalDirectory;
import java.util.Set;

/**
 * The principals policy validation can check (spec iam-policy.md §15.1 "Principal not found"): the
 * accounts of the configured users (and the registry's own account) are managed here, and their IAM users
 * are exactly the configured users. Lading has no roles: a role ARN of a managed account does not exist.
 * Immutable and thread-safe.
 */
public final class ConfiguredPrincipals implements PrincipalDirectory {

    private final Set<String> accounts;
    private final IdentityPolicies users;

    /**
     * @param accounts the accounts this Lading manages
     * @param users the configured users (by ARN)
     */
    public ConfiguredPrincipals(Set<String> accounts, IdentityPolicies users) {
        this.accounts = Set.copyOf(accounts);
        this.users = users;
    }

    @Override
    public boolean managesAccount(String accountId) {
        return accounts.contains(accountId);
    }

    @Override
    public boolean exists(String iamPrincipalArn) {
        return users.exists(iamPrincipalArn);
    }
}
