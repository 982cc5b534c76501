package io.lading.lifecycle.plan;

import io.lading.lifecycle.policy.AgeCriterion;
import io.lading.lifecycle.policy.CountCriterion;
import io.lading.lifecycle.policy.ImageCountMoreThan;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Applies a rule's count criterion to the images the rule identified, giving the images the rule would
 * act on before precedence and guards (the {@code C} of §7.3). Stateless and thread-safe.
 */
final class RuleCandidates {

    /** Newest first: sort time descending, then digest ascending ("newer" on ties) [DEC]. */
    static final Comparator<CandidateImage> NEWEST_FIRST = Comparator
            .comparing(ReferenceTimes::sortTime, Comparator.reverseOrder())
            .thenComparing(CandidateImage::digest);

    private RuleCandidates() {
    }

    static List<CandidateImage> select(CountCriterion count, List<CandidateImage> identified, Instant now) {
        return switch (count) {
            case ImageCountMoreThan keep -> identified.stream()
                    .sorted(NEWEST_FIRST)
                    .skip(keep.count())
                    .toList();
            case AgeCriterion age -> identified.stream()
                    .filter(i -> olderThan(age, i, now))
                    .toList();
        };
    }

    /** Strictly older: an image exactly N days old is not selected yet [DEC]. */
    private static boolean olderThan(AgeCriterion age, CandidateImage i, Instant now) {
        Instant reference = ReferenceTimes.ageReference(age, i);
        return reference != null && reference.plus(age.maxAge()).isBefore(now);
    }
}
