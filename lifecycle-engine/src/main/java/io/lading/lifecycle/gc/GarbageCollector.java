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
 * run.
 *
 * <p>A run finds its candidates in two passes, neither under the sweep lock: the blobs the database records
 * that no image references ({@link BlobMarkStore#unreferencedAfter}, a window of rows per statement, the
 * references answered by the database's indexes), then the bytes in the blob store that no row records
 * ({@link BlobStore#forEachDigest}, names only, with {@link BlobMarkStore#unrecordedAmong} a batch at a time).
 * Each window's or batch's candidates are decided before the next is read, so memory holds one of them at
 * most, whatever the number of blobs. Thread-safe; runs are serialised.
 */
public final class GarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

    /** Blobs decided per hold of the sweep lock, at most. */
    private static final int SWEEP_BATCH = 200;
    /** How long one hold of the sweep lock may last, at most (past one blob's decision): pushes wait for it. */
    private static final Duration SWEEP_HOLD = Duration.ofMillis(50);
    /** The lease a deleting run holds. */
    public static final String LEASE = "gc";
    /** How long the lease lasts unless renewed; a run renews it as it goes (before each window, look-up and batch of decisions, at most every {@link #RENEW_AFTER}). */
    static final Duration LEASE_TTL = Duration.ofMinutes(2);
    /** A renewal is skipped within this long of the last one (a tenth of the lease's expiry). */
    private static final Duration RENEW_AFTER = LEASE_TTL.dividedBy(10);
    /** When this run last renewed its lease ({@link System#nanoTime}); runs are serialised. */
    private long lastRenewal = Long.MIN_VALUE / 2;
    /** Blobs of the store asked about per look-up of their rows while listing the store. */
    private static final int LOOKUP_BATCH = 500;
    /** Recorded blobs read per statement of the mark phase. */
    private static final int MARK_WINDOW = 5000;

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
        // 1. the recorded blobs, from the database: a window of rows at a time, each with whether an image
        // references it, answered by the database's indexes (no round trip per blob); each window's
        // unreferenced blobs are decided before the next is read, so memory holds one window at most
        Digest after = null;
        BlobMarkStore.Window window;
        do {
            renewOrStop(lease);
            window = marks.unreferencedAfter(after, MARK_WINDOW);
            decide(window.unreferenced(), start, cutoff, lease, tally);
            after = window.last();
        } while (window.scanned() == MARK_WINDOW);
        // 2. bytes that no row records (a push cut between storing and recording them; an older version's):
        // the store's names only, asked about a batch at a time; no image can reference such a blob
        List<Digest> batch = new ArrayList<>(LOOKUP_BATCH);
        try {
            blobs.forEachDigest(digest -> {
                tally.examined++;
                batch.add(digest);
                if (batch.size() == LOOKUP_BATCH) {
                    decideUnrecorded(batch, start, cutoff, lease, tally);
                }
            });
            decideUnrecorded(batch, start, cutoff, lease, tally);
        } catch (LostWhileListing e) {
            throw e.lost;
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

    /** A lost lease found inside the store's listing, which takes no checked exception. */
    private static final class LostWhileListing extends RuntimeException {
        final LeaseLost lost;

        LostWhileListing(LeaseLost lost) {
            super(null, null, false, false);
            this.lost = lost;
        }
    }

    /** Decides the blobs of {@code batch} that have no row, then empties it. Inside the store's listing. */
    private void decideUnrecorded(List<Digest> batch, Instant start, Instant cutoff, Lease lease, Tally tally) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            renewOrStop(lease);
            java.util.Set<Digest> unrecorded = marks.unrecordedAmong(batch);
            decide(batch.stream().filter(unrecorded::contains).toList(), start, cutoff, lease, tally);
        } catch (LeaseLost e) {
            throw new LostWhileListing(e);
        }
        batch.clear();
    }

    /**
     * Decides blobs found unreferenced, again under the sweep lock, a batch at a time, so pushes wait for one
     * batch at most: at most {@link #SWEEP_BATCH} blobs, and no longer than {@link #SWEEP_HOLD} (each
     * deletion is a durable transaction). The bytes' size and time are read before the lock.
     */
    private void decide(List<Digest> unreferenced, Instant start, Instant cutoff, Lease lease, Tally tally) throws LeaseLost {
        MetadataCatalog catalog = index.catalog();
        for (int from = 0; from < unreferenced.size(); from += SWEEP_BATCH) {
            renewOrStop(lease);
            List<BlobInfo> stored = new ArrayList<>();
            for (Digest d : unreferenced.subList(from, Math.min(from + SWEEP_BATCH, unreferenced.size()))) {
                blobs.stat(d).ifPresent(stored::add); // a row whose bytes are gone has nothing to collect
            }
            int done = 0;
            while (done < stored.size()) {
                long holdUntil = System.nanoTime() + SWEEP_HOLD.toNanos();
                index.sweepLock().lock();
                try {
                    do { // at least one blob per hold, so every run ends
                        BlobInfo blob = stored.get(done++);
                        if (!catalog.referencedAnywhere(blob.digest())) {
                            collect(blob, catalog.newestLink(blob.digest()).orElse(null), start, cutoff, lease, tally);
                        }
                    } while (done < stored.size() && System.nanoTime() < holdUntil);
                } finally {
                    index.sweepLock().unlock();
                }
            }
        }
    }

    /** Renews the lease if one is held and a renewal is due; throws if another node took it. */
    private void renewOrStop(Lease lease) throws LeaseLost {
        if (lease != null && !renew(lease)) {
            throw new LeaseLost(lease);
        }
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
