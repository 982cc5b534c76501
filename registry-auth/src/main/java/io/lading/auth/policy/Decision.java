package io.lading.auth.policy;

/**
 * The answer of {@link PolicyEvaluator} (spec §9): allow, explicit deny or implicit deny, with the
 * reason of §9.6 for denials. Decisions are shared constants, so evaluating allocates none.
 *
 * <p>Immutable; thread-safe.
 *
 * @param outcome the three-valued result
 * @param reason why the request is denied; null when allowed
 */
public record Decision(Outcome outcome, DenyReason reason) {

    /** The three outcomes of §9. */
    public enum Outcome { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    /** The reasons of §9.6, phrased for the AccessDenied message of §10. */
    public enum DenyReason {
        /** An identity-based {@code Deny} applied. */
        EXPLICIT_DENY_IDENTITY,
        /** A resource-based {@code Deny} applied. */
        EXPLICIT_DENY_RESOURCE,
        /** Same account, or cross-account with the identity side missing. */
        NO_IDENTITY_ALLOW,
        /** Cross-account: the identity side allows, no resource policy does. */
        NO_RESOURCE_ALLOW;

        /** The reason clause for {@code action}, e.g. {@code because no identity-based policy allows the ecr:PutImage action}. */
        public String phrase(String action) {
            return switch (this) {
                case EXPLICIT_DENY_IDENTITY -> "with an explicit deny in an identity-based policy";
                case EXPLICIT_DENY_RESOURCE -> "with an explicit deny in a resource-based policy";
                case NO_IDENTITY_ALLOW -> "because no identity-based policy allows the " + action + " action";
                case NO_RESOURCE_ALLOW -> "because no resource-based policy allows the " + action + " action";
            };
        }
    }

    /** Allowed. */
    public static final Decision ALLOW = new Decision(Outcome.ALLOW, null);
    /** Explicitly denied by an identity policy. */
    public static final Decision DENIED_BY_IDENTITY = new Decision(Outcome.EXPLICIT_DENY, DenyReason.EXPLICIT_DENY_IDENTITY);
    /** Explicitly denied by a repository or registry policy. */
    public static final Decision DENIED_BY_RESOURCE = new Decision(Outcome.EXPLICIT_DENY, DenyReason.EXPLICIT_DENY_RESOURCE);
    /** Implicitly denied: no identity-based allow. */
    public static final Decision NO_IDENTITY_ALLOW = new Decision(Outcome.IMPLICIT_DENY, DenyReason.NO_IDENTITY_ALLOW);
    /** Implicitly denied: cross-account without a resource-based allow. */
    public static final Decision NO_RESOURCE_ALLOW = new Decision(Outcome.IMPLICIT_DENY, DenyReason.NO_RESOURCE_ALLOW);

    /** True only for {@link Outcome#ALLOW}. */
    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }
}
