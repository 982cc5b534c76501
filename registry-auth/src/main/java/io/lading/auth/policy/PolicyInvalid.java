package io.lading.auth.policy;

/**
 * A policy document rejected at put time (spec §15). {@link #getMessage()} is the exact text the
 * API must return; {@link #errorType()} names the wire error ({@code InvalidParameterException}
 * for the ECR operations, IAM's {@code MalformedPolicyDocument} / {@code LimitExceeded} for
 * identity policies); {@link #detail()} says what exactly was wrong, for logs and tests only
 * (ECR does not reveal it).
 *
 * <p>Immutable; carries no stack trace (it is an expected outcome of validation).
 */
public final class PolicyInvalid extends RuntimeException {

    /** Why the policy was rejected. */
    public enum Reason {
        /** Grammar or validation rule of §2 / §15 violated. */
        MALFORMED,
        /** Longer than the kind's limit (10240 characters; 6144 non-whitespace for identity). */
        TOO_LONG,
        /** An IAM user or role ARN of an account this registry manages does not exist. */
        PRINCIPAL_NOT_FOUND,
        /** The policy would deny the caller {@code ecr:SetRepositoryPolicy} and force is not set. */
        WOULD_LOCK_OUT
    }

    private final Reason reason;
    private final String errorType;
    private final String detail;

    PolicyInvalid(Reason reason, String errorType, String message, String detail) {
        super(message, null, false, false);
        this.reason = reason;
        this.errorType = errorType;
        this.detail = detail;
    }

    /** Why the policy was rejected. */
    public Reason reason() {
        return reason;
    }

    /** The wire error type, e.g. {@code InvalidParameterException}. */
    public String errorType() {
        return errorType;
    }

    /** What exactly was wrong (for logs; never sent to clients). */
    public String detail() {
        return detail;
    }
}
