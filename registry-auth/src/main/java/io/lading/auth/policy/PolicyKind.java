package io.lading.auth.policy;

/**
 * The three kinds of policy document (spec §1) and their validation messages (§15).
 *
 * <ul>
 *   <li>{@link #IDENTITY}: attached to users, groups and roles; no {@code Principal} or
 *       {@code Id}; {@code Resource}/{@code NotResource} required; IAM error texts.
 *   <li>{@link #REPOSITORY}: {@code SetRepositoryPolicy}; {@code Principal} required;
 *       {@code Resource} forbidden.
 *   <li>{@link #REGISTRY}: {@code PutRegistryPolicy}; {@code Principal} and {@code Resource}
 *       required.
 * </ul>
 *
 * <p>Immutable; thread-safe.
 */
public enum PolicyKind {
    IDENTITY,
    REPOSITORY,
    REGISTRY;

    /** Maximum {@code policyText} length of the ECR operations (characters). */
    public static final int MAX_RESOURCE_POLICY_LENGTH = 10240;
    /** Maximum size of an identity policy, in non-whitespace characters [DEC, IAM quota]. */
    public static final int MAX_IDENTITY_POLICY_SIZE = 6144;

    static final String INVALID_PARAMETER = "InvalidParameterException";

    /** The category of a grammar violation, mapped to a message per kind. */
    enum Violation { SYNTAX, NO_ACTION, NO_RESOURCE, HAS_PRINCIPAL, BAD_ACTION, BAD_RESOURCE }

    /** The exception for a grammar or validation failure of this kind. */
    PolicyInvalid malformed(Violation violation, String detail) {
        return switch (this) {
            case REPOSITORY -> new PolicyInvalid(PolicyInvalid.Reason.MALFORMED, INVALID_PARAMETER,
                    constraint("PolicyText", "Invalid repository policy provided"), detail);
            case REGISTRY -> new PolicyInvalid(PolicyInvalid.Reason.MALFORMED, INVALID_PARAMETER,
                    constraint("PolicyText", "Invalid registry policy provided"), detail);
            case IDENTITY -> new PolicyInvalid(PolicyInvalid.Reason.MALFORMED, "MalformedPolicyDocument",
                    identityMessage(violation), detail);
        };
    }

    /** The exception for a too-long policy text. */
    PolicyInvalid tooLong(int length) {
        if (this == IDENTITY) {
            return new PolicyInvalid(PolicyInvalid.Reason.TOO_LONG, "LimitExceeded",
                    "Cannot exceed quota for PolicySize: " + MAX_IDENTITY_POLICY_SIZE, "size " + length);
        }
        return new PolicyInvalid(PolicyInvalid.Reason.TOO_LONG, INVALID_PARAMETER,
                constraint("policyText", "Member must have length less than or equal to " + MAX_RESOURCE_POLICY_LENGTH),
                "length " + length);
    }

    /** {@code Invalid parameter at '<field>' failed to satisfy constraint: '<what>'}. */
    static String constraint(String field, String what) {
        return "Invalid parameter at '" + field + "' failed to satisfy constraint: '" + what + "'";
    }

    private static String identityMessage(Violation violation) {
        return switch (violation) {
            case SYNTAX, BAD_RESOURCE -> "Syntax errors in policy.";
            case NO_ACTION -> "Policy statement must contain actions.";
            case NO_RESOURCE -> "Policy statement must contain resources.";
            case HAS_PRINCIPAL -> "Policy document should not specify a principal.";
            case BAD_ACTION -> "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
        };
    }
}
