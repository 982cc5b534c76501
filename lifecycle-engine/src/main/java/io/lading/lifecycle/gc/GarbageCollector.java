package io.lading.lifecycle.gc;

import io.lading.core.digest.Digest;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.spi.BlobInfo;
import io.lading.core.spi.BlobMarkStore;
import io.lading.core.spi.BlobStore;
import io.lading.core.spi.LeaderLeases;
import io.lading.core.spi.LeaderLeases.Lease;
import io.lading.core.spi.LeaderLeases.LeaseLost;
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
 * {@link BlobMarkStore}:
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
 * <p>Why a deletion is safe against a concurrent push: every adopting operation clears the mark
 * ({@link BlobMarkStore#adopt}) and only then checks and uses the stored blob, and the deletion is
 * {@link BlobMarkStore#collect}, which re-checks the mark, the links and the references and deletes the bytes
 * in one database transaction holding the blob's row. So either the push cleared the mark first (the
 * collection keeps the blob), or the blob was collected first, and the push finds it gone: a commit stores
 * its own bytes as the blob, a mount falls back to an upload, and a manifest gets {@code MANIFEST_BLOB_UNKNOWN}
 * (the client uploads the blob again). This holds across nodes, since the arbiter is the database; in one
 * process the decisions also happen under {@link RepositoryIndex#sweepLock()} against
 * {@link RepositoryIndex#pushLock()}.
 *
 * <p>One node at a time collects: a run that deletes holds the {@value #LEASE} lease of {@link LeaderLeases}
 * (renewed as it goes), and every deletion proves it in its own transaction, so a node paused past the
 * lease's expiry deletes nothing once another node has taken it. A run that cannot take the lease is a dry
 * run. The slow part, listing the stores, happens before the lock. Thread-safe; runs are serialised.
 */
public final class GarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

    /** Blobs decided per hold of the sweep lock, at most. */
    private static final int SWEEP_BATCH = 200;
    /** How long one hold of the sweep lock may last, at most (past one blob's decision): pushes wait for it. */
    private static final Duration SWEEP_HOLD = Duration.ofMillis(50);
    /** The lease a deleting run holds. */
    public static final String LEASE = "gc";
    /** How long the lease lasts unless renewed; a run renews it as it goes (every {@link #RENEW_EVERY} blobs examined and before each batch of decisions, at most every {@link #RENEW_AFTER}). */
    static final Duration LEASE_TTL = Duration.ofMinutes(2);
    private static final int RENEW_EVERY = 1000;
    /** A renewal is skipped within this long of the last one (a tenth of the lease's expiry). */
    private static final Duration RENEW_AFTER = LEASE_TTL.dividedBy(10);
    /** When this run last renewed its lease ({@link System#nanoTime}); runs are serialised. */
    private long lastRenewal = Long.MIN_VALUE / 2;
    /** Blobs asked about per reference look-up while listing the store. */
    private static final int LOOKUP_BATCH = 500;

    private final RepositoryIndex index;
    private final BlobStore blobs;
    private final BlobMarkStore marks;
    private final UploadService uploads;
    private final LeaderLeases leases;
    private final String node;
    private final Clock clock;
    private final Duration grace;
    private long runs;
    private long blobsDeletedTotal;
    private long bytesFreedTotal;

    /**
     * @param leases where the {@value #LEASE} lease is held, shared by every node
     * @param node this node's name as the lease's holder (unique among the nodes)
     * @param grace the length of each phase: the wait before a blob is marked, and again before it is deleted
     */
    public GarbageCollector(RepositoryIndex index, BlobStore blobs, BlobMarkStore marks, UploadService uploads,
            LeaderLeases leases, String node, Clock clock, Duration grace) {
        this.index = index;
        this.blobs = blobs;
        this.marks = marks;
        this.uploads = uploads;
        this.leases = leases;
        this.node = node;
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
        Lease lease = null;
        if (!dryRun) {
            Optional<Lease> taken = leases.acquire(LEASE, node, LEASE_TTL);
            if (taken.isEmpty()) {
                log.info("GC runs as a dry run: another node holds the '{}' lease", LEASE);
                dryRun = true;
            } else {
                lease = taken.get();
                lastRenewal = System.nanoTime();
            }
        }
        try {
            return run(dryRun, lease, start, quarantined);
        } catch (LeaseLost e) {
            log.warn("GC stopped: {}; the node that took the lease collects from now on", e.getMessage());
            return new GcReport(false, start, Duration.between(start, clock.instant()), 0, 0, 0, 0, 0, 0, quarantined);
        } finally {
            if (lease != null) {
                leases.release(lease);
            }
        }
    }

    private GcReport run(boolean dryRun, Lease lease, Instant start, int quarantined) throws LeaseLost {
        int uploadsExpired = uploads.expire(dryRun);
        Instant cutoff = start.minus(grace);
        Tally tally = new Tally();
        MetadataCatalog catalog = index.catalog();
        // first without the sweep lock: the blobs that look collectable now (indexed look-ups, a batch of
        // blobs at a time; only the unreferenced ones are kept in memory)
        List<BlobInfo> candidates = new ArrayList<>();
        boolean[] lost = {false};
        List<BlobInfo> batch = new ArrayList<>(LOOKUP_BATCH);
        blobs.forEach(blob -> {
            tally.examined++;
            if (lease != null && tally.examined % RENEW_EVERY == 0 && !lost[0]) {
                lost[0] = !renew(lease);
            }
            batch.add(blob);
            if (batch.size() == LOOKUP_BATCH) {
                keepUnreferenced(catalog, batch, candidates);
            }
        });
        keepUnreferenced(catalog, batch, candidates);
        if (lost[0]) {
            throw new LeaseLost(lease);
        }
        // then decided again under the lock, a batch at a time, so pushes wait for one batch at most: at
        // most SWEEP_BATCH blobs, and no longer than SWEEP_HOLD (each deletion is a durable transaction)
        int next = 0;
        while (next < candidates.size()) {
            if (lease != null && !renew(lease)) {
                throw new LeaseLost(lease);
            }
            int end = Math.min(next + SWEEP_BATCH, candidates.size());
            long holdUntil = System.nanoTime() + SWEEP_HOLD.toNanos();
            index.sweepLock().lock();
            try {
                do { // at least one blob per hold, so every run ends
                    BlobInfo blob = candidates.get(next++);
                    if (!catalog.referencedAnywhere(blob.digest())) {
                        collect(blob, catalog.newestLink(blob.digest()).orElse(null), start, cutoff, lease, tally);
                    }
                } while (next < end && System.nanoTime() < holdUntil);
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

    /** Moves the unreferenced blobs of {@code batch} (asked about in one look-up) to {@code candidates}. */
    private static void keepUnreferenced(MetadataCatalog catalog, List<BlobInfo> batch, List<BlobInfo> candidates) {
        if (batch.isEmpty()) {
            return;
        }
        java.util.Set<Digest> referenced = catalog.referencedAmong(batch.stream().map(BlobInfo::digest).toList());
        for (BlobInfo b : batch) {
            if (!referenced.contains(b.digest())) {
                candidates.add(b);
            }
        }
        batch.clear();
    }

    /** Renews {@code lease}; false if another node has taken it meanwhile. */
    private boolean renew(Lease lease) {
        long now = System.nanoTime();
        if (now - lastRenewal < RENEW_AFTER.toNanos()) {
            return true; // renewed recently: every deletion proves the lease anyway
        }
        Optional<Lease> renewed = leases.acquire(LEASE, node, LEASE_TTL);
        lastRenewal = now;
        return renewed.isPresent() && renewed.get().token() == lease.token();
    }

    /**
     * One unreferenced blob: keep it in grace, mark it, leave its mark waiting, or delete it (only with a
     * {@code lease}; without one the run is dry). Under the sweep lock.
     */
    private void collect(BlobInfo blob, Instant linkedAt, Instant start, Instant cutoff, Lease lease, Tally tally)
            throws LeaseLost {
        Instant reachableSince = linkedAt != null && linkedAt.isAfter(blob.createdAt()) ? linkedAt : blob.createdAt();
        if (!reachableSince.isBefore(cutoff)) {
            tally.inGrace++;
            return;
        }
        Optional<Instant> mark = marks.markedAt(blob.digest());
        if (mark.isEmpty() || !mark.get().isBefore(cutoff)) {
            // first phase, or marked less than a grace period ago: wait
            if (mark.isEmpty() && lease != null) {
                marks.mark(blob, start);
            }
            tally.marked++;
            return;
        }
        if (lease != null) {
            if (!marks.collect(lease, blob.digest(), mark.get(), cutoff, () -> blobs.delete(blob.digest()))) {
                tally.marked++; // a push adopted, linked or referenced it meanwhile: keep it
                return;
            }
            // the collection removed the links in its transaction; this (now empty) removal through the
            // catalog drops them from the caches, this node's and, through the change feed, every node's
            index.catalog().removeLinksEverywhere(blob.digest());
            log.info("GC deleted blob {} ({} bytes, created {}, marked {})", blob.digest(), blob.size(),
                    blob.createdAt(), mark.get());
        }
        tally.deleted++;
        tally.freed += blob.size();
    }

    /** Counters since start: completed runs, blobs deleted, bytes freed. */
    public synchronized java.util.Map<String, Long> metrics() {
        return java.util.Map.of("gcRuns", runs, "gcBlobsDeleted", blobsDeletedTotal, "gcBytesFreed", bytesFreedTotal);
    }
}
