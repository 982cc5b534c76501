package io.lading.lifecycle.plan;

import io.lading.lifecycle.policy.LifecyclePolicy;
import io.lading.lifecycle.policy.LifecycleRule;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pure evaluation function of §7, shared by the preview and the scheduled expirer so that both
 * decide alike. Stateless and thread-safe; it never reads the wall clock and never touches storage.
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
        Map<String, PlannedAction> decisions = new HashMap<>();
        Set<String> identifiedEarlier = new HashSet<>();
        for (LifecycleRule rule : policy.rules()) {
            List<CandidateImage> identified = snapshot.stream()
                    .filter(i -> rule.identifies(i.storageClass(), i.tags()))
                    .toList();
            for (CandidateImage i : RuleCandidates.select(rule.count(), identified, now)) {
                if (identifiedEarlier.contains(i.digest())) {
                    continue; // a higher-precedence rule identified it: only that rule may act on it
                }
                if (i.referencedByManifestList()) {
                    continue; // deleting a child would break the index that lists it
                }
                decisions.put(i.digest(), new PlannedAction(i, rule));
            }
            // after acting: a rule does not protect images from itself
            identified.forEach(i -> identifiedEarlier.add(i.digest()));
        }
        List<PlannedAction> ordered = new ArrayList<>(decisions.values());
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
