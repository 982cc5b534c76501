package io.lading.lifecycle.expire;

import io.lading.core.digest.Digest;
import io.lading.core.image.ImageSummary;
import io.lading.core.repository.RepositoryState;
import io.lading.lifecycle.plan.CandidateImage;
import io.lading.lifecycle.plan.LifecyclePlanner;
import io.lading.lifecycle.plan.Plan;
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
import java.util.function.Supplier;

/**
 * Plans lifecycle policies over repository snapshots for the preview and the expirer alike, a bounded
 * number at a time. A plan holds every image of its repository as a {@link CandidateImage} (a few hundred
 * bytes each: about 30 MiB for a 100,000-image repository), so the node's heap bounds how many may be held
 * at once; callers beyond that wait for a permit. The snapshot is read a page at a time, each page's tags
 * and index membership in a few statements. Thread-safe.
 */
public final class LifecyclePlanning {

    /** Images read per step of a snapshot. */
    private static final int CHUNK = 500;

    private final Semaphore permits;

    /** @param concurrent plans held at once on this node (at least 1) */
    public LifecyclePlanning(int concurrent) {
        if (concurrent < 1) {
            throw new IllegalArgumentException("at least one plan at a time: " + concurrent);
        }
        this.permits = new Semaphore(concurrent, true);
    }

    /** The plan of {@code policy} over the repository's images at {@code now}, waiting for a permit. */
    public Plan plan(RepositoryState repo, LifecyclePolicy policy, Instant now) {
        permits.acquireUninterruptibly();
        try {
            return LifecyclePlanner.plan(policy, candidates(repo), now);
        } finally {
            permits.release();
        }
    }

    /**
     * {@link #plan}, if a permit comes within {@code wait}; empty if not (other plans hold them all).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public Optional<Plan> tryPlan(RepositoryState repo, LifecyclePolicy policy, Instant now, Duration wait)
            throws InterruptedException {
        return withPermit(wait, () -> LifecyclePlanner.plan(policy, candidates(repo), now));
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

    /** The images a repository holds, as the planner sees them, read {@link #CHUNK} at a time. */
    static List<CandidateImage> candidates(RepositoryState repo) {
        List<CandidateImage> out = new ArrayList<>();
        Digest after = null;
        while (true) {
            List<ImageSummary> page = repo.imageSummaries(after, CHUNK);
            List<Digest> digests = page.stream().map(ImageSummary::digest).toList();
            Map<Digest, List<String>> tags = repo.tagsOf(digests);
            Set<Digest> listed = repo.listedByIndex(digests);
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
            if (page.size() < CHUNK) {
                return out;
            }
            after = page.get(page.size() - 1).digest();
        }
    }

    /** One instance per distinct media type (a handful in a registry), not one per image. */
    private static String shared(String text) {
        return text == null ? null : text.intern();
    }
}
