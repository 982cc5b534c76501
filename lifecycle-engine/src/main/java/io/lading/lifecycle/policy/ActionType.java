package io.lading.lifecycle.policy;

import java.util.Optional;

/**
 * What a rule does to the images it selects. Policy spelling {@code expire}/{@code transition}, API
 * spelling {@code EXPIRE}/{@code TRANSITION}. Immutable and thread-safe.
 *
 * @see "lifecycle-policy.md §4, §8"
 */
public enum ActionType {
    /** Delete the image by digest, with all its tags. */
    EXPIRE("expire"),
    /** Move the image to another storage class (only {@link StorageClass#ARCHIVE}). */
    TRANSITION("transition");

    private final String policyName;

    ActionType(String policyName) {
        this.policyName = policyName;
    }

    /** The spelling inside a lifecycle policy document. */
    public String policyName() {
        return policyName;
    }

    /** The spelling in API shapes. */
    public String apiName() {
        return name();
    }

    /** The type spelled {@code text} in a policy document, if any (case-sensitive). */
    public static Optional<ActionType> fromPolicyName(String text) {
        for (ActionType t : values()) {
            if (t.policyName.equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
