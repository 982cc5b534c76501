package io.lading.auth.policy;

/**
 * The kind of request principal (spec §1), as reported by {@code aws:PrincipalType}.
 *
 * <p>Immutable; thread-safe.
 */
public enum PrincipalType {
    /** The root user of an account: {@code arn:aws:iam::<acct>:root}. */
    ACCOUNT("Account"),
    /** An IAM user: {@code arn:aws:iam::<acct>:user/<path><name>}. */
    USER("User"),
    /** A role session: {@code arn:aws:sts::<acct>:assumed-role/<role>/<session>}. */
    ASSUMED_ROLE("AssumedRole"),
    /** An AWS service principal such as {@code replication.ecr.amazonaws.com} (never a user). */
    SERVICE("AWSService");

    private final String contextValue;

    PrincipalType(String contextValue) {
        this.contextValue = contextValue;
    }

    /** The value of {@code aws:PrincipalType}. */
    public String contextValue() {
        return contextValue;
    }
}
