package io.lading.storage.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.ReferencedByIndex;
import io.lading.core.image.ImageRecord;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.spi.MetadataCatalog;
import io.lading.core.spi.MetadataCatalog.BlobLink;
import io.lading.core.spi.MetadataCatalog.StoredRepository;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CachedMetadataCatalogTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final long MIB = 1024 * 1024;

    private CountingCatalog fake;
    private final List<CatalogChange> published = new CopyOnWriteArrayList<>();
    private CachedMetadataCatalog cache;
    private long repo;

    @BeforeEach
    void setUp() {
        fake = new CountingCatalog();
        cache = new CachedMetadataCatalog(fake, 16 * MIB, published::add);
        repo = cache.createRepository("app", RepositoryRecord.defaults(T0)).orElseThrow().id();
        published.clear();
    }

    private static Digest digest(String seed) {
        return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
    }

    private static ImageRecord image(Digest d, int blobs, List<Digest> children) {
        List<Digest> layers = new ArrayList<>();
        for (int i = 0; i < blobs; i++) {
            layers.add(digest(d + "/layer/" + i));
        }
        return new ImageRecord(d, d, "application/vnd.oci.image.manifest.v1+json", 500, 1000, T0, null, layers,
                children, null, null, null, Map.of("org.opencontainers.image.title", "t"));
    }

    private Digest pushed(String seed) {
        Digest d = digest(seed);
        cache.putImage(repo, image(d, 2, List.of()));
        return d;
    }

    /** Calls {@code read} twice and asserts the second reached neither the delegate nor changed the answer. */
    private <T> T cachedTwice(String method, Supplier<T> read) {
        T first = read.get();
        int calls = fake.calls(method);
        T second = read.get();
        assertEquals(first, second);
        assertEquals(calls, fake.calls(method), method + " hit reached the delegate");
        return first;
    }

    // ---- hits ----

    @Test
    void hitsDoNotReachTheDelegate() {
        Digest d = pushed("a");
        cache.setTag(repo, "v1", d, T0, true);
        cache.putLink(repo, d, 42, T0);
        int before = fake.totalCalls();
        for (int i = 0; i < 100; i++) {
            assertEquals(repo, cache.repository("app").orElseThrow().id());
            assertEquals(Optional.of(d), cache.tag(repo, "v1"));
            assertEquals(d, cache.image(repo, d).orElseThrow().digest());
            assertEquals(Optional.of(new BlobLink(42, T0)), cache.link(repo, d));
        }
        assertEquals(before + 4, fake.totalCalls(), "one miss per key, then hits only");
        Map<String, Long> m = cache.metrics();
        assertEquals(4, m.get("misses"));
        assertEquals(396, m.get("hits"));
        assertEquals(1, m.get("tag.misses"));
        assertEquals(99, m.get("tag.hits"));
    }

    @Test
    void absentResultsAreCachedToo() {
        Digest d = digest("missing");
        assertEquals(Optional.empty(), cachedTwice("repository", () -> cache.repository("nope")));
        assertEquals(Optional.empty(), cachedTwice("link", () -> cache.link(repo, d)));
        assertEquals(Optional.empty(), cachedTwice("image", () -> cache.image(repo, d)));
        assertEquals(Optional.empty(), cachedTwice("tag", () -> cache.tag(repo, "nope")));
    }

    @Test
    void pagesAndQueriesPassThrough() {
        Digest d = pushed("a");
        cache.repositoryNames(null, 10);
        cache.repositoryNames(null, 10);
        cache.images(repo, null, 10);
        cache.referencedAnywhere(d);
        Map<String, Integer> expected = Map.of("repositoryNames", 2, "images", 1, "referencedAnywhere", 1);
        expected.forEach((method, n) -> assertEquals(n, fake.calls(method), method));
    }

    @Test
    void tagPagesAreCachedAndEveryTagWriteOfTheRepositoryDropsThem() {
        Digest d = pushed("a");
        cache.setTag(repo, "v1", d, T0, true);
        assertEquals(List.of(new MetadataCatalog.TagEntry("v1", d)), cachedTwice("tags", () -> cache.tags(repo, null, 10)));
        cache.setTag(repo, "v2", d, T0, true);
        assertEquals(List.of(new MetadataCatalog.TagEntry("v1", d), new MetadataCatalog.TagEntry("v2", d)),
                cachedTwice("tags", () -> cache.tags(repo, null, 10)));
        cache.removeTag(repo, "v1");
        assertEquals(List.of(new MetadataCatalog.TagEntry("v2", d)), cache.tags(repo, null, 10));
        cache.removeImage(repo, d);
        assertEquals(List.of(), cache.tags(repo, null, 10), "the image's tags went with it");
    }

    // ---- read your writes, one per write method ----

    @Test
    void createRepositoryReplacesACachedAbsence() {
        assertEquals(Optional.empty(), cachedTwice("repository", () -> cache.repository("new")));
        long id = cache.createRepository("new", RepositoryRecord.defaults(T0)).orElseThrow().id();
        assertEquals(id, cache.repository("new").orElseThrow().id());
        assertEquals(List.of(new CatalogChange.RepositoryCreated("new")), published);
    }

    @Test
    void updateRepositoryInvalidatesTheName() {
        StoredRepository r = cachedTwice("repository", () -> cache.repository("app")).orElseThrow();
        RepositoryRecord scanning = r.record().withScanOnPush(true);
        cache.updateRepository(r.id(), r.version(), scanning).orElseThrow();
        StoredRepository after = cache.repository("app").orElseThrow();
        assertEquals(r.version() + 1, after.version());
        assertTrue(after.record().scanOnPush());
        assertEquals(List.of(new CatalogChange.RepositoryUpdated(r.id(), "app")), published);
    }

    @Test
    void aFailedUpdateStillInvalidatesTheNameFoundById() {
        StoredRepository r = cachedTwice("repository", () -> cache.repository("app")).orElseThrow();
        fake.failAfterCommit = "updateRepository";
        assertThrows(IllegalStateException.class,
                () -> cache.updateRepository(r.id(), r.version(), r.record().withScanOnPush(true)));
        assertTrue(cache.repository("app").orElseThrow().record().scanOnPush(), "the committed update is seen");
        assertEquals(List.of(new CatalogChange.RepositoryUpdated(r.id(), null)), published);
    }

    @Test
    void deleteRepositoryDropsEverythingOfItAndNothingElse() {
        long other = cache.createRepository("other", RepositoryRecord.defaults(T0)).orElseThrow().id();
        Digest d = pushed("a");
        cache.putImage(other, image(d, 2, List.of()));
        for (long r : new long[] {repo, other}) {
            cache.setTag(r, "v1", d, T0, true);
            cache.putLink(r, d, 1, T0);
        }
        for (long r : new long[] {repo, other}) {
            cache.link(r, d);
            cache.image(r, d);
            cache.tag(r, "v1");
        }
        cache.repository("app");
        cache.repository("other");
        int before = fake.totalCalls();

        assertTrue(cache.deleteRepository(repo));

        assertEquals(Optional.empty(), cache.repository("app"));
        assertEquals(Optional.empty(), cache.link(repo, d));
        assertEquals(Optional.empty(), cache.image(repo, d));
        assertEquals(Optional.empty(), cache.tag(repo, "v1"));
        assertEquals(before + 5, fake.totalCalls(), "the delete and four misses");
        assertTrue(cache.repository("other").isPresent());
        assertTrue(cache.link(other, d).isPresent());
        assertTrue(cache.image(other, d).isPresent());
        assertTrue(cache.tag(other, "v1").isPresent());
        assertEquals(before + 5, fake.totalCalls(), "the other repository stayed cached");
    }

    @Test
    void putLinkAndRemoveLinkAreSeenAtOnce() {
        Digest d = digest("blob");
        assertEquals(Optional.empty(), cachedTwice("link", () -> cache.link(repo, d)));
        cache.putLink(repo, d, 7, T0);
        assertEquals(Optional.of(new BlobLink(7, T0)), cachedTwice("link", () -> cache.link(repo, d)));
        cache.putLink(repo, d, 7, T0.plusSeconds(5));
        assertEquals(Optional.of(new BlobLink(7, T0.plusSeconds(5))), cache.link(repo, d));
        cache.removeLink(repo, d);
        assertEquals(Optional.empty(), cache.link(repo, d));
        assertEquals(new CatalogChange.LinkChanged(repo, d), published.getLast());
    }

    @Test
    void removeLinksEverywhereDropsThatDigestsLinksOnly() {
        long other = cache.createRepository("other", RepositoryRecord.defaults(T0)).orElseThrow().id();
        Digest gone = digest("gone");
        Digest kept = digest("kept");
        for (long r : new long[] {repo, other}) {
            cache.putLink(r, gone, 1, T0);
            cache.putLink(r, kept, 1, T0);
            cache.link(r, gone);
            cache.link(r, kept);
        }
        assertEquals(2, cache.removeLinksEverywhere(gone));
        int links = fake.calls("link");
        assertEquals(Optional.empty(), cache.link(repo, gone));
        assertEquals(Optional.empty(), cache.link(other, gone));
        assertTrue(cache.link(repo, kept).isPresent());
        assertTrue(cache.link(other, kept).isPresent());
        assertEquals(links + 2, fake.calls("link"), "only the removed digest's links were dropped");
    }

    @Test
    void putImageReplacesACachedAbsenceAndPullTimesAreSeen() {
        Digest d = digest("img");
        assertEquals(Optional.empty(), cachedTwice("image", () -> cache.image(repo, d)));
        cache.putImage(repo, image(d, 3, List.of()));
        assertEquals(3, cachedTwice("image", () -> cache.image(repo, d)).orElseThrow().blobs().size());
        cache.setLastPulledAt(repo, d, T0.plusSeconds(60));
        assertEquals(T0.plusSeconds(60), cache.image(repo, d).orElseThrow().lastPulledAt());
        assertEquals(new CatalogChange.ImageChanged(repo, d), published.getLast());
    }

    @Test
    void removeImageDropsTheImageAndTheTagsThatNamedIt() {
        Digest d = pushed("a");
        Digest e = pushed("b");
        cache.setTag(repo, "v1", d, T0, true);
        cache.setTag(repo, "latest", d, T0, true);
        cache.setTag(repo, "v2", e, T0, true);
        cache.image(repo, d);
        cache.tag(repo, "v1");
        cache.tag(repo, "latest");
        cache.tag(repo, "v2");

        assertEquals(List.of("latest", "v1"), cache.removeImage(repo, d));

        assertEquals(Optional.empty(), cache.image(repo, d));
        assertEquals(Optional.empty(), cache.tag(repo, "v1"));
        assertEquals(Optional.empty(), cache.tag(repo, "latest"));
        int tags = fake.calls("tag");
        assertEquals(Optional.of(e), cache.tag(repo, "v2"));
        assertEquals(tags, fake.calls("tag"), "the other image's tag stayed cached");
        assertEquals(new CatalogChange.ImageRemoved(repo, d, List.of("latest", "v1")), published.getLast());
    }

    @Test
    void aRemoveImageFailingInAnUnknownStateDropsEveryCachedTagNamingIt() {
        Digest d = pushed("a");
        cache.setTag(repo, "v1", d, T0, true);
        cache.setTag(repo, "v2", d, T0, true);
        cache.tag(repo, "v1");
        cache.tag(repo, "v2");
        fake.failAfterCommit = "removeImage";
        assertThrows(IllegalStateException.class, () -> cache.removeImage(repo, d));
        assertEquals(Optional.empty(), cache.image(repo, d));
        assertEquals(Optional.empty(), cache.tag(repo, "v1"));
        assertEquals(Optional.empty(), cache.tag(repo, "v2"));
        assertEquals(new CatalogChange.ImageRemoved(repo, d, null), published.getLast());
    }

    @Test
    void aRemoveImageRefusedByTheContractKeepsTheTags() {
        Digest child = pushed("child");
        cache.putImage(repo, image(digest("index"), 0, List.of(child)));
        cache.setTag(repo, "v1", child, T0, true);
        cache.tag(repo, "v1");
        assertThrows(ReferencedByIndex.class, () -> cache.removeImage(repo, child));
        assertEquals(Optional.of(child), cachedTwice("tag", () -> cache.tag(repo, "v1")));
        assertEquals(new CatalogChange.ImageRemoved(repo, child, List.of()), published.getLast());
    }

    @Test
    void setTagAndRemoveTagAreSeenAtOnce() {
        Digest d = pushed("a");
        Digest e = pushed("b");
        assertEquals(Optional.empty(), cachedTwice("tag", () -> cache.tag(repo, "v1")));
        cache.setTag(repo, "v1", d, T0, true);
        assertEquals(Optional.of(d), cachedTwice("tag", () -> cache.tag(repo, "v1")));
        cache.setTag(repo, "v1", e, T0, true);
        assertEquals(Optional.of(e), cachedTwice("tag", () -> cache.tag(repo, "v1")));
        assertTrue(cache.removeTag(repo, "v1"));
        assertEquals(Optional.empty(), cache.tag(repo, "v1"));
        assertEquals(new CatalogChange.TagChanged(repo, "v1"), published.getLast());
    }

    @Test
    void aWriteThatFailsAfterItsCommitStillInvalidates() {
        Digest d = pushed("a");
        assertEquals(Optional.empty(), cachedTwice("tag", () -> cache.tag(repo, "v1")));
        fake.failAfterCommit = "setTag";
        assertThrows(IllegalStateException.class, () -> cache.setTag(repo, "v1", d, T0, true));
        assertEquals(Optional.of(d), cache.tag(repo, "v1"));
        assertEquals(new CatalogChange.TagChanged(repo, "v1"), published.getLast());
    }

    // ---- other nodes ----

    @Test
    void anotherNodesChangeIsSeenOnceItsInvalidationArrives() {
        Digest d = pushed("a");
        assertEquals(Optional.empty(), cachedTwice("tag", () -> cache.tag(repo, "v1")));
        fake.setTagElsewhere(repo, "v1", d);
        assertEquals(Optional.empty(), cache.tag(repo, "v1"), "cached until told");
        published.clear();
        cache.invalidate(new CatalogChange.TagChanged(repo, "v1"));
        assertEquals(Optional.of(d), cache.tag(repo, "v1"));
        assertEquals(List.of(), published, "a remote change is not published again");
    }

    @Test
    void invalidateAllDropsEverything() {
        Digest d = pushed("a");
        cache.repository("app");
        cache.image(repo, d);
        cache.invalidateAll();
        int before = fake.totalCalls();
        cache.repository("app");
        cache.image(repo, d);
        assertEquals(before + 2, fake.totalCalls());
    }

    @Test
    void aThrowingListenerDoesNotFailTheWrite() {
        CachedMetadataCatalog c = new CachedMetadataCatalog(fake, 16 * MIB, change -> {
            throw new IllegalStateException("NOTIFY failed");
        });
        Digest d = digest("blob");
        c.putLink(repo, d, 1, T0);
        assertTrue(c.link(repo, d).isPresent());
        assertEquals(1, c.metrics().get("listenerFailures"));
    }

    // ---- memory ----

    @Test
    void anImagesWeightGrowsWithItsBlobsChildrenAndAnnotations() {
        Digest d = digest("a");
        long small = CatalogCacheWeights.image(image(d, 1, List.of()));
        long layers = CatalogCacheWeights.image(image(d, 100, List.of()));
        long index = CatalogCacheWeights.image(image(d, 1, List.of(digest("c1"), digest("c2"))));
        assertTrue(layers > small + 100 * 100, small + " vs " + layers);
        assertTrue(index > small + 2 * 100, small + " vs " + index);
        assertTrue(small > 500, "a record with its digests and strings is not small: " + small);
    }

    @Test
    void theEstimatedWeightStaysWithinTheBudget() {
        long budget = 2 * MIB;
        CachedMetadataCatalog small = new CachedMetadataCatalog(fake, budget);
        long offered = 0;
        for (int i = 0; i < 3000; i++) {
            Digest d = digest("big" + i);
            ImageRecord r = image(d, 40, List.of());
            fake.putImage(repo, r);
            offered += CatalogCacheWeights.imageEntry(d, Optional.of(r));
            small.image(repo, d);
            small.link(repo, d);
            small.tag(repo, "t" + i);
            small.repository("r" + i);
            if (i % 500 == 0) {
                assertTrue(small.metrics().get("bytes") <= budget, "over budget at " + i);
            }
        }
        small.cleanUp();
        Map<String, Long> m = small.metrics();
        assertTrue(offered > 5 * budget, "the test offers far more than the budget: " + offered);
        assertTrue(m.get("bytes") <= budget, m.toString());
        assertTrue(m.get("image.bytes") <= budget / 2, m.toString());
        assertTrue(m.get("image.bytes") > budget / 4, "the budget is used, not starved: " + m);
        assertTrue(m.get("image.evictions") > 0, m.toString());
        assertTrue(m.get("evictions") >= m.get("image.evictions"));
    }

    // ---- races ----

    /**
     * Runs {@code slowRead} on another thread until the delegate's {@code method} has read, runs {@code write}
     * (which commits and invalidates) meanwhile, then lets the read finish and returns what it returned.
     */
    private <T> T overtaken(String method, Supplier<T> slowRead, Runnable write) throws Exception {
        CountingCatalog.Gate gate = fake.gate(method);
        CompletableFuture<T> slow = CompletableFuture.supplyAsync(slowRead);
        gate.awaitRead(); // the reader has its value from the delegate and has not cached it yet
        write.run();
        gate.release().countDown();
        return slow.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSlowLoadOvertakenByAWriteDoesNotCacheTheOldValue() throws Exception {
        Digest d = pushed("a");
        Digest e = pushed("b");
        cache.setTag(repo, "v1", d, T0, true);
        Optional<Digest> slow = overtaken("tag", () -> cache.tag(repo, "v1"), () -> cache.setTag(repo, "v1", e, T0, true));
        assertEquals(Optional.of(d), slow, "the reader raced the write: old is fine");
        assertEquals(Optional.of(e), cache.tag(repo, "v1"), "but the old value must not have been cached");
        assertEquals(1, cache.metrics().get("skippedPuts"));
        assertEquals(Optional.of(e), cachedTwice("tag", () -> cache.tag(repo, "v1")));
    }

    @Test
    void aValueLoadedWhileAWriteIsInFlightIsDroppedWhenTheWriteReturns() throws Exception {
        Digest d = pushed("a");
        Digest e = pushed("b");
        cache.setTag(repo, "v1", d, T0, true);
        CountingCatalog.Gate gate = fake.gate("setTag");
        CompletableFuture<Optional<Digest>> write =
                CompletableFuture.supplyAsync(() -> cache.setTag(repo, "v1", e, T0, true));
        gate.awaitRead(); // the write has not committed yet
        assertEquals(Optional.of(d), cachedTwice("tag", () -> cache.tag(repo, "v1")), "cached during the write");
        gate.release().countDown();
        assertEquals(Optional.of(d), write.get(10, TimeUnit.SECONDS));
        assertEquals(Optional.of(e), cache.tag(repo, "v1"), "invalidated after the commit, not before");
    }

    @Test
    void aSlowAbsentLoadOvertakenByPutLinkDoesNotCacheTheAbsence() throws Exception {
        Digest d = digest("blob");
        assertEquals(Optional.empty(), overtaken("link", () -> cache.link(repo, d), () -> cache.putLink(repo, d, 1, T0)));
        assertEquals(Optional.of(new BlobLink(1, T0)), cache.link(repo, d));
    }

    @Test
    void aSlowLoadOvertakenByABulkInvalidationDoesNotCacheTheOldValue() throws Exception {
        Digest d = digest("blob");
        cache.putLink(repo, d, 1, T0);
        assertTrue(overtaken("link", () -> cache.link(repo, d), () -> cache.removeLinksEverywhere(d)).isPresent());
        assertEquals(Optional.empty(), cache.link(repo, d));
    }

    @Test
    void aSlowNameLoadOvertakenByDeleteRepositoryDoesNotCacheTheDeletedRepository() throws Exception {
        cache.invalidateAll();
        assertTrue(overtaken("repository", () -> cache.repository("app"), () -> cache.deleteRepository(repo)).isPresent());
        assertEquals(Optional.empty(), cache.repository("app"));
    }

    @Test
    void concurrentReadersAndWritersLeaveNoStaleEntry() throws Exception {
        List<Digest> images = List.of(pushed("a"), pushed("b"), pushed("c"));
        int tagCount = 8;
        Runnable writer = () -> {
            for (int i = 0; i < 4000; i++) {
                String tag = "t" + (i % tagCount);
                if (i % 5 == 4) {
                    cache.removeTag(repo, tag);
                } else {
                    cache.setTag(repo, tag, images.get(i % images.size()), T0, true);
                }
            }
        };
        Runnable reader = () -> {
            for (int i = 0; i < 20000; i++) {
                cache.tag(repo, "t" + (i % tagCount));
                if (i % 1000 == 0) {
                    cache.invalidate(new CatalogChange.TagChanged(repo, "t" + (i % tagCount)));
                }
            }
        };
        CompletableFuture<?> all = CompletableFuture.allOf(CompletableFuture.runAsync(writer),
                CompletableFuture.runAsync(reader), CompletableFuture.runAsync(reader));
        all.get(60, TimeUnit.SECONDS);
        for (int t = 0; t < tagCount; t++) {
            String tag = "t" + t;
            assertEquals(fake.tag(repo, tag), cache.tag(repo, tag), tag + " is stale");
        }
    }
}
