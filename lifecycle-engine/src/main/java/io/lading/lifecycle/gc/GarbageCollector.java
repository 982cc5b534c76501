package io.lading.lifecycle.gc;

import io.lading.core.digest.Digest;
import io.lading.core.image.ImageRecord;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.repository.RepositoryState;
import io.lading.core.spi.BlobInfo;
import io.lading.core.spi.BlobStore;
import io.lading.core.upload.UploadService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online mark-and-sweep of blobs that no manifest in any repository references, and of upload
 * sessions past their expiry. Blobs are shared by all repositories, so the mark covers every image of
 * every repository (config, layers and the manifest's own content blob).
 *
 * <p>Why a deletion is safe:
 * <ul>
 *   <li>A blob younger than the grace period is never deleted, so a push that uploaded layers and has not
 *       yet put its manifest keeps them.
 *   <li>The mark and the deletions happen under {@link RepositoryIndex#sweepLock()}, which every operation
 *       that makes a blob reachable (committing or mounting a blob, storing a manifest) holds shared; so no
 *       manifest can start referencing a blob between "unreferenced" and "deleted". The slow part, listing
 *       the store, happens before the lock; pushes wait only while the in-memory mark runs and the chosen
 *       blobs are unlinked and deleted.
 *   <li>A deleted blob is first unlinked from every repository, so no repository claims a blob it can no
 *       longer serve; a client that pushes it again uploads it again.
 * </ul>
 * With several nodes on one store, only the holder of {@link GcLease} runs it. Thread-safe; runs are
 * serialised.
 */
public final class GarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

    private final RepositoryIndex index;
    private final BlobStore blobs;
    private final UploadService uploads;
    private final Clock clock;
    private final Duration grace;
    private long runs;
    private long blobsDeletedTotal;
    private long bytesFreedTotal;

    public GarbageCollector(RepositoryIndex index, BlobStore blobs, UploadService uploads, Clock clock, Duration grace) {
        this.index = index;
        this.blobs = blobs;
        this.uploads = uploads;
        this.clock = clock;
        this.grace = grace;
    }

    /** Runs once. With {@code dryRun} nothing is deleted and the report says what would be. */
    public synchronized GcReport run(boolean dryRun) {
        Instant start = clock.instant();
        int uploadsExpired = uploads.expire(dryRun);
        Instant cutoff = start.minus(grace);
        List<BlobInfo> all = new ArrayList<>();
        blobs.forEach(all::add);
        int deleted = 0;
        int inGrace = 0;
        long freed = 0;
        index.sweepLock().lock();
        try {
            Set<Digest> marked = mark();
            for (BlobInfo blob : all) {
                if (marked.contains(blob.digest())) {
                    continue;
                }
                if (!blob.createdAt().isBefore(cutoff)) {
                    inGrace++;
                    continue;
                }
                if (!dryRun) {
                    unlinkEverywhere(blob.digest());
                    blobs.delete(blob.digest());
                    log.info("GC deleted blob {} ({} bytes, created {})", blob.digest(), blob.size(), blob.createdAt());
                }
                deleted++;
                freed += blob.size();
            }
        } finally {
            index.sweepLock().unlock();
        }
        if (!dryRun) {
            runs++;
            blobsDeletedTotal += deleted;
            bytesFreedTotal += freed;
        }
        GcReport report = new GcReport(dryRun, start, Duration.between(start, clock.instant()), all.size(), deleted,
                freed, inGrace, uploadsExpired);
        log.info("GC {}: {} blobs examined, {} {} ({} bytes), {} in grace, {} upload sessions {}", dryRun ? "dry run" : "run",
                report.blobsExamined(), deleted, dryRun ? "deletable" : "deleted", freed, inGrace, uploadsExpired,
                dryRun ? "expirable" : "expired");
        return report;
    }

    /** Counters since start: completed runs, blobs deleted, bytes freed. */
    public synchronized java.util.Map<String, Long> metrics() {
        return java.util.Map.of("gcRuns", runs, "gcBlobsDeleted", blobsDeletedTotal, "gcBytesFreed", bytesFreedTotal);
    }

    /** Every blob some image in some repository needs. In memory; callers hold the sweep lock. */
    private Set<Digest> mark() {
        Set<Digest> marked = new HashSet<>();
        for (RepositoryState repo : index.all().values()) {
            for (ImageRecord image : repo.images().values()) {
                marked.add(image.contentBlob());
                marked.addAll(image.blobs());
            }
        }
        return marked;
    }

    private void unlinkEverywhere(Digest digest) {
        for (RepositoryState repo : index.all().values()) {
            if (repo.layerSize(digest).isEmpty()) {
                continue;
            }
            repo.writeLock().lock();
            try {
                index.unlinkLayer(repo, digest);
            } finally {
                repo.writeLock().unlock();
            }
        }
    }
}
