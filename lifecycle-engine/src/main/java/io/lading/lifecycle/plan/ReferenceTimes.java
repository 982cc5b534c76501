package io.lading.lifecycle.plan;

import io.lading.lifecycle.policy.AgeCriterion;
import io.lading.lifecycle.policy.SinceImagePulled;
import io.lading.lifecycle.policy.SinceImagePushed;
import io.lading.lifecycle.policy.SinceImageTransitioned;
import io.lading.lifecycle.policy.StorageClass;
import java.time.Instant;

/** The reference timestamps of §7.2. Stateless and thread-safe. */
final class ReferenceTimes {

    private ReferenceTimes() {
    }

    /**
     * The time {@code imageCountMoreThan} orders by: the archive time for archived images, otherwise the
     * restore time if the image was ever restored, else the push time.
     */
    static Instant sortTime(CandidateImage i) {
        if (i.storageClass() == StorageClass.ARCHIVE) {
            return i.lastArchivedAt();
        }
        return i.lastActivatedAt() != null ? i.lastActivatedAt() : i.pushedAt();
    }

    /** The instant an age criterion measures from, or null when the image has none (never acted on). */
    static Instant ageReference(AgeCriterion criterion, CandidateImage i) {
        return switch (criterion) {
            // a restore does not reset the push age [DEC]
            case SinceImagePushed p -> i.pushedAt();
            case SinceImagePulled p -> pullReference(i);
            case SinceImageTransitioned t -> i.lastArchivedAt();
        };
    }

    private static Instant pullReference(CandidateImage i) {
        Instant pulled = i.lastRecordedPullTime();
        Instant restored = i.lastActivatedAt();
        if (restored != null && (pulled == null || pulled.isBefore(restored))) {
            // restored and not pulled since: the restore counts as the last use
            return restored;
        }
        return pulled != null ? pulled : i.pushedAt();
    }
}
