package io.lading.lifecycle.expire;

import io.lading.core.digest.Digest;
import io.lading.core.image.ImageSummary;
import io.lading.core.repository.RepositoryState;
import io.lading.lifecycle.plan.CandidateImage;
import io.lading.lifecycle.plan.LifecycleEvaluation;
import io.lading.lifecycle.plan.PlannedAction;
import io.lading.lifecycle.plan.PreviewResult;
import io.lading.lifecycle.policy.LifecyclePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Evaluates lifecycle policies over repositories for the preview and the expirer alike, a bounded number at
 * a time. An evaluation reads the repository's images newest push first, {@link #CHUNK} at a time (each
 * page's tags and index membership in a few statements), and feeds them to a {@link LifecycleEvaluation},
 * which decides each image as it arrives; each decision goes to the caller's sink at once. So an evaluation
 * holds one page of images whatever the repository's size; the permits bound how many run at once on
 * this node (each keeps a database connection busy), and callers beyond that wait. Thread-safe.
 *
 * <p>The pages are read one after another, not in one snapshot: an image pushed during an evaluation is
 * newer than its cursor and not seen (it would only have ranked the others lower), and the expirer
 * re-checks each image's tags before it deletes (§8).
 */
public final class LifecyclePlanning {

    /** Images read per step of an evaluation. */
    static final int CHUNK = 500;

    private final Semaphore permits;

    /** @param concurrent evaluations run at once on this node (at least 1) */
    public LifecyclePlanning(int concurrent) {
        if (concurrent < 1) {
            throw new IllegalArgumentException("at least one evaluation at a time: " + concurrent);
        }
        this.permits = new Semaphore(concurrent, true);
    }

    /**
     * Evaluates {@code policy} over the repository's images at {@code now}, waiting for a permit, and gives
     * each decision to {@code sink} as it is made (newest image first).
     *
     * @return the totals of the decisions (a preview's {@code summary})
     */
    public PreviewResult.Summary evaluate(RepositoryState repo, LifecyclePolicy policy, Instant now,
            Consumer<PlannedAction> sink) {
        permits.acquireUninterruptibly();
        try {
            return run(repo, policy, now, sink);
        } finally {
            permits.release();
        }
    }

    /**
     * {@link #evaluate}, if a permit comes within {@code wait}; empty, with nothing given to {@code sink}, if
     * not (other evaluations hold them all).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public Optional<PreviewResult.Summary> tryEvaluate(RepositoryState repo, LifecyclePolicy policy, Instant now,
            Duration wait, Consumer<PlannedAction> sink) throws InterruptedException {
        return withPermit(wait, () -> run(repo, policy, now, sink));
    }

    /** Runs {@code work} holding a permit, if one comes within {@code wait}; empty if none does. */
    <T> Optional<T> withPermit(Duration wait, Supplier<T> work) throws InterruptedException {
        if (!permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(work.get());
        } finally {
            permits.release();
        }
    }

    private static PreviewResult.Summary run(RepositoryState repo, LifecyclePolicy policy, Instant now,
            Consumer<PlannedAction> sink) {
        LifecycleEvaluation evaluation = new LifecycleEvaluation(policy, now);
        ImageSummary after = null;
        while (true) {
            List<ImageSummary> page = repo.imageSummariesNewestFirst(after, CHUNK);
            for (CandidateImage image : candidates(repo, page)) {
                evaluation.next(image).ifPresent(sink);
            }
            if (page.size() < CHUNK) {
                return evaluation.summary();
            }
            after = page.get(page.size() - 1);
        }
    }

    /** One page of a repository's images as the planner sees them, in the page's order. */
    static List<CandidateImage> candidates(RepositoryState repo, List<ImageSummary> page) {
        List<Digest> digests = page.stream().map(ImageSummary::digest).toList();
        Map<Digest, List<String>> tags = repo.tagsOf(digests);
        Set<Digest> listed = repo.listedByIndex(digests);
        List<CandidateImage> out = new ArrayList<>(page.size());
        for (ImageSummary image : page) {
            out.add(CandidateImage.builder(image.digest().toString(), image.pushedAt())
                    .tags(tags.getOrDefault(image.digest(), List.of()))
                    .lastRecordedPullTime(image.lastPulledAt())
                    .referencedByManifestList(listed.contains(image.digest()))
                    .sizeInBytes(image.imageSize())
                    .mediaType(shared(image.mediaType()))
                    .artifactType(shared(image.artifactType()))
                    .build());
        }
        return out;
    }

    /** One instance per distinct media type (a handful in a registry), not one per image. */
    private static String shared(String text) {
        return text == null ? null : text.intern();
    }
}
