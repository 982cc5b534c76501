package io.lading.lifecycle.policy;

import java.util.Objects;

/**
 * A rule's {@code action}: expire, or transition to {@link StorageClass#ARCHIVE}. Immutable and
 * thread-safe. Use the two constants; the constructor enforces that a transition names a target and an
 * expiry does not.
 *
 * @param type what to do
 * @param targetStorageClass the class to move to for {@link ActionType#TRANSITION}; null for
 *     {@link ActionType#EXPIRE}
 * @see "lifecycle-policy.md §4"
 */
public record RuleAction(ActionType type, StorageClass targetStorageClass) {

    /** Delete the image. */
    public static final RuleAction EXPIRE = new RuleAction(ActionType.EXPIRE, null);
    /** Move the image to the archive class. */
    public static final RuleAction TRANSITION_TO_ARCHIVE = new RuleAction(ActionType.TRANSITION, StorageClass.ARCHIVE);

    public RuleAction {
        Objects.requireNonNull(type, "type");
        if ((type == ActionType.TRANSITION) != (targetStorageClass != null)) {
            throw new IllegalArgumentException("targetStorageClass is required for, and only for, a transition");
        }
    }
}
