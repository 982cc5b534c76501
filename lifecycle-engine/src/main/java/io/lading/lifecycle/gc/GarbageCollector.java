package io.lading.lifecycle.gc;

import io.lading.core.blob.BlobMarks;
import io.lading.core.digest.Digest;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.spi.BlobInfo;
import io.lading.core.spi.BlobStore;
import io.lading.core.spi.MetadataCatalog;
import io.lading.core.upload.UploadService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online garbage collection of blobs that no manifest in any repository references, and of upload
 * sessions past their expiry. Blobs are shared by all repositories, so references are gathered from every
 * image of every repository (config, layers and the manifest's own content blob).
 *
 * <p>A blob is deleted in two phases, each a grace period long, through the persistent marks of
 * {@link BlobMarks}:
 * <ol>
 *   <li><b>Mark.</b> A run that finds a blob unreferenced, and last made reachable (created, or uploaded,
 *       mounted or linked into some repository: its newest link time) longer than the grace period ago,
 *       marks it with the run's start time.
 *   <li><b>Delete.</b> A later run that finds the blob still unreferenced, still outside its grace period
 *       and still carrying a mark set at least a grace period ago consumes the mark by compare-and-swap
 *       and, only if that succeeds, unlinks the blob from every repository and deletes it.
 * </ol>
 * Every push that adopts a blob (commits an upload of it, mounts it, links it, stores a manifest that
 * references it) clears its mark by compare-and-swap and refreshes its link time, so a blob made reachable
 * within the grace period is never deleted, and a blob made reachable again after being marked gets a
 * full new wait.
 *
 * <p>Why a deletion is safe against a concurrent push: the decisions, the mark writes and the deletions
 * happen under {@link RepositoryIndex#sweepLock()}, and every adopting operation holds
 * {@link RepositoryIndex#pushLock()} while it clears the mark and then uses the blob. So either the push
 * cleared the mark first (the consume fails and the blob stays), or the blob was consumed, unlinked and
 * deleted first, and the push finds it gone: a commit stores its own bytes as the blob, a mount falls back
 * to an upload, and a manifest gets {@code MANIFEST_BLOB_UNKNOWN} (the client uploads the blob again). The
 * slow part, listing the stores, happens before the lock. With several nodes on one store, only the holder
 * of {@link GcLease} runs it. Thread-safe; runs are serialised.
 */
public final class GarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

    /** Blobs decided per hold of the sweep lock. */
    private static final int SWEEP_BATCH = 200;

    private final RepositoryIndex index;
    private final BlobStore blobs;
    private final BlobMarks marks;
    private final UploadService uploads;
    private final Clock clock;
    private final Duration grace;
    private long runs;
    private long blobsDeletedTotal;
    private long bytesFreedTotal;

    /** @param grace the length of each phase: the wait before a blob is marked, and again before it is deleted */
    public GarbageCollector(RepositoryIndex index, BlobStore blobs, BlobMarks marks, UploadService uploads, Clock clock,
            Duration grace) {
        this.index = index;
        this.blobs = blobs;
        this.marks = marks;
        this.uploads = uploads;
        this.clock = clock;
        this.grace = grace;
    }

    /** What one run decided, counted. */
    private static final class Tally {
        int examined;
        int deleted;
        int inGrace;
        int marked;
        long freed;
    }

    /** Runs once. With {@code dryRun} nothing is marked or deleted and the report says what would be. */
    public synchronized GcReport run(boolean dryRun) {
        Instant start = clock.instant();
        int quarantined = index.quarantined().size();
        if (quarantined > 0 && !dryRun) {
            log.warn("GC runs as a dry run: {} metadata documents are in quarantine (GET /_lading/quarantine),"
                    + " and an unreadable image record may be what refers to a blob", quarantined);
            dryRun = true;
        }
        int uploadsExpired = uploads.expire(dryRun);
        Instant cutoff = start.minus(grace);
        Tally tally = new Tally();
        MetadataCatalog catalog = index.catalog();
        // first without the sweep lock: the blobs that look collectable now (an indexed look-up per blob;
        // only the unreferenced ones are kept in memory)
        List<BlobInfo> candidates = new ArrayList<>();
        blobs.forEach(blob -> {
            tally.examined++;
            if (!catalog.referencedAnywhere(blob.digest())) {
                candidates.add(blob);
            }
        });
        // then decided again under the lock, a batch at a time, so pushes wait for one batch at most
        for (int from = 0; from < candidates.size(); from += SWEEP_BATCH) {
            index.sweepLock().lock();
            try {
                for (BlobInfo blob : candidates.subList(from, Math.min(from + SWEEP_BATCH, candidates.size()))) {
                    if (!catalog.referencedAnywhere(blob.digest())) {
                        collect(blob, catalog.newestLink(blob.digest()).orElse(null), start, cutoff, dryRun, tally);
                    }
                }
            } finally {
                index.sweepLock().unlock();
            }
        }
        if (!dryRun) {
            runs++;
            blobsDeletedTotal += tally.deleted;
            bytesFreedTotal += tally.freed;
        }
        GcReport report = new GcReport(dryRun, start, Duration.between(start, clock.instant()), tally.examined, tally.deleted,
                tally.freed, tally.inGrace, tally.marked, uploadsExpired, quarantined);
        log.info("GC {}: {} blobs examined, {} {} ({} bytes), {} marked, {} in grace, {} upload sessions {}",
                dryRun ? "dry run" : "run", report.blobsExamined(), tally.deleted, dryRun ? "deletable" : "deleted",
                tally.freed, tally.marked, tally.inGrace, uploadsExpired, dryRun ? "expirable" : "expired");
        return report;
    }

    /** One unreferenced blob: keep it in grace, mark it, leave its mark waiting, or delete it. Under the sweep lock. */
    private void collect(BlobInfo blob, Instant linkedAt, Instant start, Instant cutoff, boolean dryRun, Tally tally) {
        Instant reachableSince = linkedAt != null && linkedAt.isAfter(blob.createdAt()) ? linkedAt : blob.createdAt();
        if (!reachableSince.isBefore(cutoff)) {
            tally.inGrace++;
            return;
        }
        Optional<BlobMarks.Mark> mark = marks.find(blob.digest());
        if (mark.isPresent() && mark.get().markedAt() == null) {
            log.warn("GC mark of {} is unreadable; marking the blob again", blob.digest());
            if (!dryRun) {
                marks.consume(mark.get());
            }
            mark = Optional.empty();
        }
        if (mark.isEmpty() || !mark.get().markedAt().isBefore(cutoff)) {
            // first phase, or marked less than a grace period ago: wait
            if (mark.isEmpty() && !dryRun) {
                marks.mark(blob.digest(), start);
            }
            tally.marked++;
            return;
        }
        if (!dryRun) {
            if (!marks.consume(mark.get())) {
                tally.marked++; // a push adopted it (or another collection moved the mark): keep it
                return;
            }
            unlinkEverywhere(blob.digest());
            blobs.delete(blob.digest());
            log.info("GC deleted blob {} ({} bytes, created {}, marked {})", blob.digest(), blob.size(),
                    blob.createdAt(), mark.get().markedAt());
        }
        tally.deleted++;
        tally.freed += blob.size();
    }

    /** Counters since start: completed runs, blobs deleted, bytes freed. */
    public synchronized java.util.Map<String, Long> metrics() {
        return java.util.Map.of("gcRuns", runs, "gcBlobsDeleted", blobsDeletedTotal, "gcBytesFreed", bytesFreedTotal);
    }

    private void unlinkEverywhere(Digest digest) {
        index.catalog().removeLinksEverywhere(digest);
    }
}
