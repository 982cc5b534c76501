package io.lading.lifecycle.policy;

import java.util.Optional;

/**
 * The {@code selection.countType} values of §4. Immutable and thread-safe.
 *
 * @see "lifecycle-policy.md §4, §7.2"
 */
public enum CountType {
    /** Keep the newest N images of the selection; act on the rest. */
    IMAGE_COUNT_MORE_THAN("imageCountMoreThan", false),
    /** Act on images pushed more than N days ago. */
    SINCE_IMAGE_PUSHED("sinceImagePushed", true),
    /** Act on images not pulled (nor restored) for more than N days. */
    SINCE_IMAGE_PULLED("sinceImagePulled", true),
    /** Act on archived images that entered the archive more than N days ago. */
    SINCE_IMAGE_TRANSITIONED("sinceImageTransitioned", true);

    private final String policyName;
    private final boolean takesUnit;

    CountType(String policyName, boolean takesUnit) {
        this.policyName = policyName;
        this.takesUnit = takesUnit;
    }

    /** The spelling inside a lifecycle policy document. */
    public String policyName() {
        return policyName;
    }

    /** True for the {@code since*} types, which require {@code countUnit: days}. */
    public boolean takesUnit() {
        return takesUnit;
    }

    /** The type spelled {@code text} in a policy document, if any (case-sensitive). */
    public static Optional<CountType> fromPolicyName(String text) {
        for (CountType t : values()) {
            if (t.policyName.equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
