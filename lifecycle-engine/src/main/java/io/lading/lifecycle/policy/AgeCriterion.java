package io.lading.lifecycle.policy;

import java.time.Duration;

/**
 * A {@code since*} count type: act on images whose reference time (which one depends on the type, §7.2)
 * lies strictly more than {@link #days()} days before the evaluation instant. Implementations are
 * immutable and thread-safe.
 *
 * @see "lifecycle-policy.md §7.2"
 */
public sealed interface AgeCriterion extends CountCriterion permits SinceImagePushed, SinceImagePulled,
        SinceImageTransitioned {

    /** {@code countNumber} in {@code countUnit: days}. */
    int days();

    @Override
    default int countNumber() {
        return days();
    }

    /** The age an image must strictly exceed to be acted on. */
    default Duration maxAge() {
        return Duration.ofDays(days());
    }
}
