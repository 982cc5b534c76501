package io.lading.lifecycle.plan;

import io.lading.lifecycle.policy.AgeCriterion;
import io.lading.lifecycle.policy.CountCriterion;
import io.lading.lifecycle.policy.ImageCountMoreThan;
import java.time.Instant;
import java.util.Comparator;

/**
 * Applies a rule's count criterion to one image the rule identified, given the image's rank among the
 * images the rule identifies: whether it is in the {@code C} of §7.3 (before precedence and guards).
 * Stateless and thread-safe.
 */
final class RuleCandidates {

    /** Newest first: sort time descending, then digest ascending ("newer" on ties) [DEC]. */
    static final Comparator<CandidateImage> NEWEST_FIRST = Comparator
            .comparing(ReferenceTimes::sortTime, Comparator.reverseOrder())
            .thenComparing(CandidateImage::digest);

    private RuleCandidates() {
    }

    /**
     * Whether the rule's count criterion picks {@code image}.
     *
     * @param newer how many images the rule identifies come before {@code image} in {@link #NEWEST_FIRST}
     */
    static boolean selects(CountCriterion count, int newer, CandidateImage image, Instant now) {
        return switch (count) {
            case ImageCountMoreThan keep -> newer >= keep.count();
            case AgeCriterion age -> olderThan(age, image, now);
        };
    }

    /** Strictly older: an image exactly N days old is not selected yet [DEC]. */
    private static boolean olderThan(AgeCriterion age, CandidateImage i, Instant now) {
        Instant reference = ReferenceTimes.ageReference(age, i);
        return reference != null && reference.plus(age.maxAge()).isBefore(now);
    }
}
