package io.lading.lifecycle.policy;

import java.util.List;

/**
 * {@code countType: sinceImagePushed}: act on images whose {@code imagePushedAt} is more than
 * {@code days} days ago (a restore does not reset it). Standard class only, expire or transition.
 * Immutable and thread-safe.
 *
 * @param days the age threshold in days (at least 1)
 * @see "lifecycle-policy.md §7.2"
 */
public record SinceImagePushed(int days) implements AgeCriterion {

    public SinceImagePushed {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1");
        }
    }

    @Override
    public CountType type() {
        return CountType.SINCE_IMAGE_PUSHED;
    }

    /** C10: only the standard class. */
    static void validate(RuleDraft d, List<Violation> out) {
        SinceImageTransitioned.requireStandardClass(d, out);
    }
}
