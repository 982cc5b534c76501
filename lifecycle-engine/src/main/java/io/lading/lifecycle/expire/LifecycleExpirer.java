package io.lading.lifecycle.expire;

import io.lading.core.digest.Digest;
import io.lading.core.image.ImageRecord;
import io.lading.core.manifest.ManifestService;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.repository.RepositoryState;
import io.lading.lifecycle.plan.CandidateImage;
import io.lading.lifecycle.plan.PlannedAction;
import io.lading.lifecycle.policy.ActionType;
import io.lading.lifecycle.policy.LifecyclePolicy;
import io.lading.lifecycle.policy.LifecyclePolicyInvalid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies every repository's lifecycle policy (lifecycle-policy.md 8 and 10): evaluate it with
 * {@link LifecyclePlanning} (as the preview does, sharing its permits), which reads the repository a page at
 * a time newest image first, and delete each expiring image as it is decided (so newest first), re-checking
 * under the repository lock that it is unchanged. An image that an index expired in the same run listed is
 * guarded only while the index exists: read after its deletion, it is judged on its own. It removes
 * references only; the bytes go at garbage collection. Logs one line per expired image naming the rule.
 * Thread-safe; runs are serialised.
 */
public final class LifecycleExpirer {

    private static final Logger log = LoggerFactory.getLogger(LifecycleExpirer.class);

    private final RepositoryIndex index;
    private final ManifestService manifests;
    private final Clock clock;
    private final LifecyclePlanning planning;
    private long expiredTotal;
    private long runs;

    /** @param planning the node's planning permits, which the preview shares */
    public LifecycleExpirer(RepositoryIndex index, ManifestService manifests, Clock clock, LifecyclePlanning planning) {
        this.index = index;
        this.manifests = manifests;
        this.clock = clock;
        this.planning = planning;
    }

    /** What one run did (or, in a dry run, would do). */
    public record Report(boolean dryRun, Instant startedAt, Duration took, int repositoriesEvaluated, int imagesExpired,
            int imagesSkipped, long imagesExpiredSinceStart) {
    }

    /** Counters since start: completed runs and images expired. */
    public synchronized Map<String, Long> metrics() {
        return Map.of("expirerRuns", runs, "expirerImagesExpired", expiredTotal);
    }

    /**
     * An expired index takes its children with it when nothing else refers to them: no other index in the
     * repository lists them and they carry no tag of their own.
     */
    private int expireOrphanedChildren(RepositoryState repo, List<Digest> children, int rule) {
        int n = 0;
        for (Digest child : children) {
            if (repo.parentsOf(child).isEmpty() && repo.tagsOf(child).isEmpty()
                    && manifests.deleteIfUnchanged(repo.name(), child, java.util.Set.of())) {
                n++;
                log.info("Lifecycle expired {}@{} (child of an expired index) by rule {}", repo.name(), child, rule);
            }
        }
        return n;
    }

    /** Plans {@code repo}'s policy and applies (or, in a dry run, counts) what it expires. */
    private void apply(RepositoryState repo, boolean dryRun, Instant start, Tally tally) {
        String text = repo.record().lifecyclePolicy();
        if (text == null) {
            return;
        }
        LifecyclePolicy policy;
        try {
            policy = LifecyclePolicy.parse(text);
        } catch (LifecyclePolicyInvalid e) {
            log.warn("Lifecycle policy of {} no longer validates, skipped: {}", repo.name(), e.getMessage());
            return;
        }
        tally.evaluated++;
        planning.evaluate(repo, policy, start, action -> {
            if (action.action().type() == ActionType.EXPIRE) {
                expire(repo, action, dryRun, tally);
            }
        });
    }

    /** Deletes (or, in a dry run, counts) one expiring image and the children only it held. */
    private void expire(RepositoryState repo, PlannedAction action, boolean dryRun, Tally tally) {
        CandidateImage image = action.image();
        Digest digest = Digest.parse(image.digest());
        List<Digest> children = repo.image(digest).map(ImageRecord::children).orElse(List.of());
        if (dryRun) {
            tally.expired++;
            for (Digest child : children) {
                if (repo.parentsOf(child).equals(java.util.Set.of(digest)) && repo.tagsOf(child).isEmpty()) {
                    tally.expired++;
                }
            }
            return;
        }
        if (manifests.deleteIfUnchanged(repo.name(), digest, new HashSet<>(image.tags()))) {
            tally.expired++;
            log.info("Lifecycle expired {}@{} tags {} by rule {}", repo.name(), image.digest(),
                    image.tags(), action.rulePriority());
            tally.expired += expireOrphanedChildren(repo, children, action.rulePriority());
        } else {
            tally.skipped++;
        }
    }

    /** What one run counts as it goes. */
    private static final class Tally {
        int evaluated;
        int expired;
        int skipped;
    }

    /**
     * Runs over every repository that has a lifecycle policy, a page of repositories at a time (it holds
     * one repository's plan at a time, never a list of all repositories).
     */
    public synchronized Report run(boolean dryRun) {
        Instant start = clock.instant();
        Tally tally = new Tally();
        index.forEach(repo -> {
            if (repo.record().lifecyclePolicy() != null) {
                apply(repo, dryRun, start, tally);
            }
        });
        int evaluated = tally.evaluated;
        int expired = tally.expired;
        int skipped = tally.skipped;
        if (!dryRun) {
            expiredTotal += expired;
            runs++;
        }
        Report report = new Report(dryRun, start, Duration.between(start, clock.instant()), evaluated, expired, skipped,
                expiredTotal);
        log.info("Lifecycle {}: {} repositories evaluated, {} images {}, {} skipped as changed",
                dryRun ? "dry run" : "run", evaluated, expired, dryRun ? "expirable" : "expired", skipped);
        return report;
    }
}
