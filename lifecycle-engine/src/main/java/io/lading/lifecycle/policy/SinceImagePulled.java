package io.lading.lifecycle.policy;

import java.util.List;

/**
 * {@code countType: sinceImagePulled}: act on images not pulled for more than {@code days} days; the
 * reference is the restore time if the image was restored and not pulled since, else the last recorded
 * pull, else the push time. Standard class only, and only with a transition (C9). Immutable and
 * thread-safe.
 *
 * @param days the age threshold in days (at least 1)
 * @see "lifecycle-policy.md §7.2"
 */
public record SinceImagePulled(int days) implements AgeCriterion {

    static final String TRANSITION_ONLY = "countType sinceImagePulled can only be used with action type transition.";

    public SinceImagePulled {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1");
        }
    }

    @Override
    public CountType type() {
        return CountType.SINCE_IMAGE_PULLED;
    }

    /** C9: transition only; C10: standard class only. */
    static void validate(RuleDraft d, List<Violation> out) {
        if (d.action().type() != ActionType.TRANSITION) {
            out.add(d.violation(ValidationCheck.C9, TRANSITION_ONLY));
        }
        SinceImageTransitioned.requireStandardClass(d, out);
    }
}
