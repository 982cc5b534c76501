package io.lading.lifecycle.policy;

import java.util.List;

/**
 * {@code countType: imageCountMoreThan}: keep the newest {@code count} identified images (by sort time,
 * §7.2) and act on the rest. Allowed on the standard class only, with expire or transition. Immutable and
 * thread-safe.
 *
 * @param count how many images to keep (at least 1)
 * @see "lifecycle-policy.md §7.3"
 */
public record ImageCountMoreThan(int count) implements CountCriterion {

    public ImageCountMoreThan {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
    }

    @Override
    public CountType type() {
        return CountType.IMAGE_COUNT_MORE_THAN;
    }

    @Override
    public int countNumber() {
        return count;
    }

    /** C10: only the standard class. */
    static void validate(RuleDraft d, List<Violation> out) {
        SinceImageTransitioned.requireStandardClass(d, out);
    }
}
