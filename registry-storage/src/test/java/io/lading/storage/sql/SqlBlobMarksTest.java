package io.lading.storage.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.BlobUnknown;
import io.lading.core.error.RegistryException.ManifestBlobUnknown;
import io.lading.core.mediatype.MediaTypes;
import io.lading.core.image.ImageRecord;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.spi.BlobInfo;
import io.lading.core.spi.LeaderLeases.Lease;
import io.lading.core.spi.LeaderLeases.LeaseLost;
import io.lading.core.spi.MetadataCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Garbage collection's marks and its fenced point of no return on both engines, including two nodes (two
 * connection pools on one database) racing a collection against a push that adopts the blob.
 */
class SqlBlobMarksTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant MARKED = T0.plusSeconds(3600);
    private static final Instant CUTOFF = T0.plusSeconds(7200);
    private static final Duration TTL = Duration.ofMinutes(2);
    private static final String ACCOUNT = "123456789012";

    @TempDir
    Path dir;

    private static Digest d(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private static BlobInfo blob(String s) {
        return new BlobInfo(d(s), 10, T0);
    }

    private static SqlLeases leases(SqlDatabase db) {
        return new SqlLeases(db, Clock.systemUTC());
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void aMarkIsSetOnceClearedByAdoptionAndCollectedOnlyWhileUnchanged(SqlEngine engine) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            SqlLeases leases = leases(db);
            SqlBlobMarks marks = new SqlBlobMarks(db, leases);
            BlobInfo b = blob("orphan");
            assertEquals(Optional.empty(), marks.markedAt(b.digest()));
            assertTrue(marks.mark(b, MARKED), "a blob without a row gets one, marked");
            assertFalse(marks.mark(b, CUTOFF), "marked once");
            assertEquals(Optional.of(MARKED), marks.markedAt(b.digest()));
            assertTrue(marks.adopt(b.digest()));
            assertFalse(marks.adopt(b.digest()), "nothing left to clear");
            Lease lease = leases.acquire("gc", "node-a", TTL).orElseThrow();
            AtomicInteger deleted = new AtomicInteger();
            assertFalse(marks.collect(lease, b.digest(), MARKED, CUTOFF, deleted::incrementAndGet),
                    "an adopted blob is kept");
            assertTrue(marks.mark(b, MARKED));
            assertFalse(marks.collect(lease, b.digest(), MARKED.plusSeconds(1), CUTOFF, deleted::incrementAndGet),
                    "a mark that changed since it was read is kept");
            assertTrue(marks.collect(lease, b.digest(), MARKED, CUTOFF, deleted::incrementAndGet));
            assertEquals(1, deleted.get(), "the bytes were deleted exactly once");
            assertEquals(Optional.empty(), marks.markedAt(b.digest()), "the row is gone with the mark");
        }
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void aLinkAfterTheCutoffOrAnImageReferenceKeepsTheBlob(SqlEngine engine) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            SqlLeases leases = leases(db);
            SqlBlobMarks marks = new SqlBlobMarks(db, leases);
            MetadataCatalog catalog = new SqlMetadataCatalog(db, ACCOUNT);
            long repo = catalog.createRepository("team/app", RepositoryRecord.defaults(T0)).orElseThrow().id();
            Lease lease = leases.acquire("gc", "node-a", TTL).orElseThrow();
            BlobInfo fresh = blob("fresh");
            catalog.putLink(repo, fresh.digest(), 10, T0);
            marks.mark(fresh, MARKED);
            catalog.putLink(repo, fresh.digest(), 10, CUTOFF.plusSeconds(1)); // a push linked it again
            assertFalse(marks.collect(lease, fresh.digest(), MARKED, CUTOFF, () -> { }), "linked within the grace period");

            BlobInfo layer = blob("layer");
            Digest content = d("manifest");
            catalog.putLink(repo, layer.digest(), 10, T0);
            marks.mark(layer, MARKED);
            catalog.putImage(repo, new ImageRecord(content, content, MediaTypes.OCI_MANIFEST, 100, 110, T0, null,
                    List.of(layer.digest()), List.of(), null, null, null, Map.of()));
            assertFalse(marks.collect(lease, layer.digest(), MARKED, CUTOFF, () -> { }), "an image references it");

            BlobInfo old = blob("old");
            catalog.putLink(repo, old.digest(), 10, T0);
            marks.mark(old, MARKED);
            assertTrue(marks.collect(lease, old.digest(), MARKED, CUTOFF, () -> { }),
                    "linked only before the cutoff and referenced by nothing");
            assertEquals(Optional.empty(), catalog.link(repo, old.digest()), "its links went with it");
        }
    }

    /**
     * The mark phase's windows: every recorded blob is covered exactly once across windows, in digest order,
     * and a blob is reported unreferenced exactly when no image has it as a layer, a config or its content.
     */
    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void windowsCoverEveryRecordedBlobOnceAndReportExactlyTheUnreferenced(SqlEngine engine) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            SqlBlobMarks marks = new SqlBlobMarks(db, leases(db));
            MetadataCatalog catalog = new SqlMetadataCatalog(db, ACCOUNT);
            long repo = catalog.createRepository("team/app", RepositoryRecord.defaults(T0)).orElseThrow().id();
            java.util.TreeSet<Digest> unreferenced = new java.util.TreeSet<>();
            java.util.TreeSet<Digest> all = new java.util.TreeSet<>();
            for (int i = 0; i < 23; i++) {
                BlobInfo b = blob("linked only " + i);
                catalog.putLink(repo, b.digest(), 10, T0);
                unreferenced.add(b.digest());
            }
            marks.mark(blob("marked, no link"), MARKED);
            unreferenced.add(d("marked, no link"));
            Digest layer = d("layer");
            Digest config = d("config");
            Digest content = d("manifest");
            for (Digest each : List.of(layer, config, content)) {
                catalog.putLink(repo, each, 10, T0);
            }
            catalog.putImage(repo, new ImageRecord(content, content, MediaTypes.OCI_MANIFEST, 100, 110, T0, null,
                    List.of(config, layer), List.of(), null, null, MediaTypes.OCI_CONFIG, Map.of()));
            all.addAll(unreferenced);
            all.addAll(List.of(layer, config, content));

            java.util.List<Digest> covered = new java.util.ArrayList<>();
            java.util.List<Digest> reported = new java.util.ArrayList<>();
            Digest after = null;
            io.lading.core.spi.BlobMarkStore.Window w;
            int windows = 0;
            do {
                w = marks.unreferencedAfter(after, 5);
                windows++;
                reported.addAll(w.unreferenced());
                if (w.last() != null) {
                    covered.add(w.last());
                }
                after = w.last();
                assertTrue(w.scanned() <= 5);
            } while (w.scanned() == 5);
            assertEquals(List.copyOf(unreferenced), reported, "exactly the unreferenced, in digest order, once each");
            assertEquals((all.size() + 4) / 5 + (all.size() % 5 == 0 ? 1 : 0), windows, "windows of 5 until a short one");
            assertEquals(all.last(), covered.get(covered.size() - 1), "the last window reaches the last digest");
            assertEquals(new io.lading.core.spi.BlobMarkStore.Window(0, null, List.of()),
                    marks.unreferencedAfter(all.last(), 5), "nothing after the last");

            java.util.List<Digest> asked = new java.util.ArrayList<>(all);
            java.util.Set<Digest> strays = new java.util.HashSet<>();
            for (int i = 0; i < 1100; i++) { // more than one statement's worth
                strays.add(d("bytes no push recorded " + i));
            }
            asked.addAll(strays);
            assertEquals(strays, marks.unrecordedAmong(asked), "only the digests without a row, across statements");
        }
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void aLostLeaseOrAFailedDeletionChangesNothing(SqlEngine engine) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            SqlLeases leases = leases(db);
            SqlBlobMarks marks = new SqlBlobMarks(db, leases);
            BlobInfo b = blob("orphan");
            marks.mark(b, MARKED);
            Lease lease = leases.acquire("gc", "node-a", TTL).orElseThrow();
            assertThrows(IllegalStateException.class, () -> marks.collect(lease, b.digest(), MARKED, CUTOFF, () -> {
                throw new IllegalStateException("disk gone");
            }));
            assertEquals(Optional.of(MARKED), marks.markedAt(b.digest()), "rolled back: still marked");
            leases.release(lease);
            Lease other = leases.acquire("gc", "node-b", TTL).orElseThrow();
            AtomicInteger deleted = new AtomicInteger();
            assertThrows(LeaseLost.class, () -> marks.collect(lease, b.digest(), MARKED, CUTOFF, deleted::incrementAndGet));
            assertEquals(0, deleted.get(), "a node that lost the lease deletes nothing");
            assertTrue(marks.collect(other, b.digest(), MARKED, CUTOFF, deleted::incrementAndGet));
        }
    }

    /**
     * Node B adopts the blob (as a push does before relying on it) while node A's collection is deleting its
     * bytes: B's adoption waits for A's transaction and then finds no mark and no row, so B, checking the
     * blob store next, sees the bytes gone. B never sees the row while the bytes are being deleted.
     */
    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void anAdoptionOnAnotherNodeWaitsForACollectionInProgress(SqlEngine engine) throws Exception {
        List<SqlDatabase> nodes = SqlTestDatabases.nodes(engine, dir, 2);
        try (SqlDatabase a = nodes.get(0); SqlDatabase b = nodes.get(1)) {
            SqlLeases leasesA = leases(a);
            SqlBlobMarks marksA = new SqlBlobMarks(a, leasesA);
            SqlBlobMarks marksB = new SqlBlobMarks(b, leases(b));
            BlobInfo blob = blob("raced");
            marksA.mark(blob, MARKED);
            Lease lease = leasesA.acquire("gc", "node-a", TTL).orElseThrow();
            CompletableFuture<Boolean>[] adoption = new CompletableFuture[1];
            assertTrue(marksA.collect(lease, blob.digest(), MARKED, CUTOFF, () -> {
                adoption[0] = CompletableFuture.supplyAsync(() -> marksB.adopt(blob.digest()));
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                assertFalse(adoption[0].isDone(), "the adoption waits while the bytes are deleted");
            }));
            assertFalse(adoption[0].get(30, TimeUnit.SECONDS), "after the collection there is no mark to clear");
            assertEquals(Optional.empty(), marksB.markedAt(blob.digest()));
        }
    }

    /**
     * After a collection, the blob has no row and no bytes: a push that looked before (and saw it) cannot
     * link it or reference it, because the catalog only gives a blob a row for bytes the store has.
     */
    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void aCollectedBlobCannotBeLinkedOrReferencedAgainWithoutItsBytes(SqlEngine engine) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            SqlLeases leases = leases(db);
            SqlBlobMarks marks = new SqlBlobMarks(db, leases);
            java.util.Set<Digest> stored = ConcurrentHashMap.newKeySet();
            MetadataCatalog catalog = new SqlMetadataCatalog(db, ACCOUNT, stored::contains);
            long repo = catalog.createRepository("team/app", RepositoryRecord.defaults(T0)).orElseThrow().id();
            BlobInfo layer = blob("layer");
            Digest content = d("manifest");
            stored.add(layer.digest());
            stored.add(content);
            catalog.putLink(repo, layer.digest(), 10, T0);
            marks.mark(layer, MARKED);
            Lease lease = leases.acquire("gc", "node-a", TTL).orElseThrow();
            assertTrue(marks.collect(lease, layer.digest(), MARKED, CUTOFF, () -> stored.remove(layer.digest())));

            assertThrows(BlobUnknown.class, () -> catalog.putLink(repo, layer.digest(), 10, CUTOFF));
            ManifestBlobUnknown refused = assertThrows(ManifestBlobUnknown.class, () -> catalog.putImage(repo,
                    new ImageRecord(content, content, MediaTypes.OCI_MANIFEST, 100, 110, T0, null,
                            List.of(layer.digest()), List.of(), null, null, null, Map.of())));
            assertEquals(List.of(layer.digest()), refused.missing());
            assertEquals(Optional.empty(), catalog.image(repo, content), "nothing was stored");
            assertEquals(Optional.empty(), catalog.link(repo, layer.digest()));

            stored.add(layer.digest()); // the client uploads it again
            catalog.putLink(repo, layer.digest(), 10, CUTOFF);
            assertTrue(catalog.putImage(repo, new ImageRecord(content, content, MediaTypes.OCI_MANIFEST, 100, 110, T0, null,
                    List.of(layer.digest()), List.of(), null, null, null, Map.of())).isPresent());
        }
    }
}
