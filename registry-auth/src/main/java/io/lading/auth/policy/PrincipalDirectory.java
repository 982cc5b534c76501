package io.lading.auth.policy;

/**
 * What policy validation needs to know about the identities this registry manages (spec §15.1
 * "Principal not found"): which accounts are local, and which IAM users and roles exist in them.
 * Principals of other accounts cannot be checked and are accepted.
 *
 * <p>Implementations must be thread-safe; calls happen only at put time, never per request.
 */
public interface PrincipalDirectory {

    /** Whether {@code accountId} (12 digits) is an account this registry manages. */
    boolean managesAccount(String accountId);

    /**
     * Whether the IAM user or role ARN exists, e.g. {@code arn:aws:iam::123456789012:user/alice}
     * or {@code arn:aws:iam::123456789012:role/ci-builder}. Only asked for managed accounts.
     */
    boolean exists(String iamPrincipalArn);

    /** A directory that manages no account (every principal is accepted). */
    static PrincipalDirectory none() {
        return new PrincipalDirectory() {
            @Override
            public boolean managesAccount(String accountId) {
                return false;
            }

            @Override
            public boolean exists(String iamPrincipalArn) {
                return false;
            }
        };
    }
}
