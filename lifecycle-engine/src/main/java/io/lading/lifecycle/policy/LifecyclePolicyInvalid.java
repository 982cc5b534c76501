package io.lading.lifecycle.policy;

/**
 * A lifecycle policy text that fails validation. The API layer renders it as ECR's
 * {@code InvalidParameterException} with {@link #getMessage()} as the message, verbatim. Immutable and
 * thread-safe.
 *
 * <p>For every check except {@link ValidationCheck#LENGTH} the message reads
 * {@code Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy
 * validation failure: <detail>'}; the length check uses the generic member-length wording of §5.1.
 *
 * @see "lifecycle-policy.md §5.1"
 */
public final class LifecyclePolicyInvalid extends RuntimeException {

    /** The fixed text in front of every detail. */
    public static final String DETAIL_PREFIX = "Lifecycle policy validation failure: ";

    private final ValidationCheck check;
    private final String detail;

    private LifecyclePolicyInvalid(ValidationCheck check, String detail, String message) {
        super(message, null, false, false);
        this.check = check;
        this.detail = detail;
    }

    /** A failure of a schema or semantic check, with ECR's message around {@code detail}. */
    static LifecyclePolicyInvalid of(ValidationCheck check, String detail) {
        return new LifecyclePolicyInvalid(check, detail, "Invalid parameter at 'LifecyclePolicyText' failed to "
                + "satisfy constraint: '" + DETAIL_PREFIX + detail + "'");
    }

    /** A failure of the length bounds, which ECR words like any other member-length violation. */
    static LifecyclePolicyInvalid length(String constraint) {
        return new LifecyclePolicyInvalid(ValidationCheck.LENGTH, constraint,
                "Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: '" + constraint + "'");
    }

    /** The check that failed. */
    public ValidationCheck check() {
        return check;
    }

    /**
     * The detail after {@link #DETAIL_PREFIX} (for {@link ValidationCheck#LENGTH}, the member constraint,
     * e.g. {@code Member must have length greater than or equal to 100}).
     */
    public String detail() {
        return detail;
    }
}
