package io.lading.lifecycle.plan;

import io.lading.lifecycle.policy.LifecyclePolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The pure evaluation function of §7 over a list of images: a {@link LifecycleEvaluation} fed the list
 * newest first, its decisions put in the order they are applied and listed in. The preview and the
 * scheduled expirer feed that evaluation from the database a page at a time instead, so that both decide
 * alike without holding a repository. Stateless and thread-safe; it never reads the wall clock and never
 * touches storage.
 *
 * <pre>{@code
 * Plan plan = LifecyclePlanner.plan(LifecyclePolicy.parse(text), snapshot, clock);
 * for (PlannedAction a : plan.actions()) {        // imagePushedAt ascending
 *     expirer.apply(a.image(), a.action(), a.rulePriority());
 * }
 * }</pre>
 *
 * <p>Rules run in priority order over the same snapshot. An image identified by a rule is protected from
 * every later rule, even when the identifying rule leaves it alone, but still counts in their
 * {@code imageCountMoreThan} ordering. Images listed by an index stored in the repository are never acted
 * on; they become eligible in the first snapshot without that index. Same input, same plan: the result
 * does not depend on the order of {@code images}.
 *
 * @see "lifecycle-policy.md §7"
 */
public final class LifecyclePlanner {

    /** The order decisions are applied and listed in: push time, then digest. */
    static final Comparator<PlannedAction> APPLY_ORDER = Comparator
            .comparing((PlannedAction a) -> a.image().pushedAt())
            .thenComparing(a -> a.image().digest());

    private LifecyclePlanner() {
    }

    /** {@link #plan(LifecyclePolicy, List, Instant)} at {@code clock.instant()}. */
    public static Plan plan(LifecyclePolicy policy, List<CandidateImage> images, Clock clock) {
        return plan(policy, images, clock.instant());
    }

    /**
     * Evaluates {@code policy} over a consistent snapshot of one repository's images.
     *
     * @param now the snapshot instant ages are measured against
     * @throws IllegalArgumentException if two images share a digest
     */
    public static Plan plan(LifecyclePolicy policy, List<CandidateImage> images, Instant now) {
        List<CandidateImage> snapshot = canonical(images);
        snapshot.sort(RuleCandidates.NEWEST_FIRST);
        LifecycleEvaluation evaluation = new LifecycleEvaluation(policy, now);
        List<PlannedAction> ordered = new ArrayList<>();
        for (CandidateImage i : snapshot) {
            evaluation.next(i).ifPresent(ordered::add);
        }
        ordered.sort(APPLY_ORDER);
        return new Plan(now, ordered);
    }

    private static List<CandidateImage> canonical(List<CandidateImage> images) {
        List<CandidateImage> sorted = new ArrayList<>(images);
        sorted.sort(Comparator.comparing(CandidateImage::digest));
        for (int k = 1; k < sorted.size(); k++) {
            if (sorted.get(k).digest().equals(sorted.get(k - 1).digest())) {
                throw new IllegalArgumentException("duplicate image digest: " + sorted.get(k).digest());
            }
        }
        return sorted;
    }
}
