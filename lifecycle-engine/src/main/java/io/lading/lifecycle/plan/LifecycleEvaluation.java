package io.lading.lifecycle.plan;

import io.lading.lifecycle.policy.LifecyclePolicy;
import io.lading.lifecycle.policy.LifecycleRule;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The evaluation of §7 over a stream of one repository's images, fed newest first (sort time descending,
 * then digest ascending: the order {@code imageCountMoreThan} ranks in). Each image's decision is known
 * when it arrives, so a repository of any size is evaluated in memory of the size of its policy: one
 * counter per rule, not a list of images. {@link LifecyclePlanner} is the same evaluation over a list.
 *
 * <pre>{@code
 * LifecycleEvaluation evaluation = new LifecycleEvaluation(policy, now);
 * for (CandidateImage image : newestFirst) {          // a page at a time, from the database
 *     evaluation.next(image).ifPresent(expirer::apply);
 * }
 * PreviewResult.Summary summary = evaluation.summary();
 * }</pre>
 *
 * <p>An image is decided by the first rule, by priority, that identifies it: acted on if that rule's count
 * criterion picks it and no index in the repository lists it, otherwise left alone (and protected from
 * every later rule). It still counts in the ranking of every later rule that identifies it. Not
 * thread-safe: one evaluation is fed by one thread.
 *
 * @see "lifecycle-policy.md §7"
 */
public final class LifecycleEvaluation {

    private final List<LifecycleRule> rules;
    private final Instant now;
    /** Per rule (in priority order): images it identified so far, all of them newer than the next one. */
    private final int[] identified;
    private CandidateImage previous;
    private final ActionTally tally = new ActionTally();

    /** @param now the snapshot instant ages are measured against */
    public LifecycleEvaluation(LifecyclePolicy policy, Instant now) {
        this.rules = policy.rules();
        this.now = Objects.requireNonNull(now, "now");
        this.identified = new int[rules.size()];
    }

    /**
     * Decides the next image of the stream.
     *
     * @return the action to take on it, or empty when it is left alone
     * @throws IllegalArgumentException if {@code image} does not come strictly after the previous one in
     *     the stream's order (out of order, or the same digest twice in a row)
     */
    public Optional<PlannedAction> next(CandidateImage image) {
        if (previous != null && RuleCandidates.NEWEST_FIRST.compare(previous, image) >= 0) {
            throw new IllegalArgumentException("images must come newest first, each once: " + image.digest()
                    + " after " + previous.digest());
        }
        previous = image;
        PlannedAction decision = null;
        boolean decided = false;
        for (int r = 0; r < rules.size(); r++) {
            LifecycleRule rule = rules.get(r);
            if (!rule.identifies(image.storageClass(), image.tags())) {
                continue;
            }
            int newer = identified[r]++;
            if (decided) {
                continue; // a higher-precedence rule identified it: only that rule may act on it
            }
            decided = true;
            // an image an index lists is never acted on: deleting a child would break the index
            if (RuleCandidates.selects(rule.count(), newer, image, now) && !image.referencedByManifestList()) {
                decision = new PlannedAction(image, rule);
            }
        }
        if (decision != null) {
            tally.add(decision);
        }
        return Optional.ofNullable(decision);
    }

    /** The totals of the decisions made so far (a preview's {@code summary}). */
    public PreviewResult.Summary summary() {
        return tally.summary();
    }
}
