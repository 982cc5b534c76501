package io.lading.storage.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.ManifestUnknown;
import io.lading.core.error.RegistryException.ReferencedByIndex;
import io.lading.core.error.RegistryException.TagImmutable;
import io.lading.core.image.ImageRecord;
import io.lading.core.image.ImageSummary;
import io.lading.core.mediatype.MediaTypes;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.repository.TagMutability;
import io.lading.core.spi.MetadataCatalog;
import io.lading.core.spi.MetadataCatalog.StoredRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link SqlMetadataCatalog} on SQLite and on a real PostgreSQL server: the contract of {@link MetadataCatalog}. */
class SqlMetadataCatalogTest {

    private static final Instant T = Instant.parse("2026-12-07T10:15:30.123456Z");

    @TempDir
    Path dir;

    private static Digest d(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private static ImageRecord image(Digest digest, Digest content, List<Digest> blobs, List<Digest> children, Digest subject) {
        return new ImageRecord(digest, content, children.isEmpty() ? MediaTypes.OCI_MANIFEST : MediaTypes.OCI_INDEX, 123,
                456, T, null, blobs, children, subject, subject == null ? null : "application/example",
                "application/vnd.oci.image.config.v1+json", Map.of("a", "1", "b", "2"));
    }

    private StoredRepository repo(MetadataCatalog c, String name) {
        return c.createRepository(name, RepositoryRecord.defaults(T)).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void repositoriesRoundTripCompareAndSwapAndPageInCodePointOrder(SqlEngine engine) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            MetadataCatalog c = new SqlMetadataCatalog(db, "123456789012");
            RepositoryRecord record = new RepositoryRecord(T, new TagMutability("IMMUTABLE_WITH_EXCLUSION", List.of("dev-*", "x")),
                    true, "KMS", "arn:key", Map.of("z", "1", "a", "2"), "{\"p\":1}", "{\"l\":1}");
            StoredRepository r = c.createRepository("team/app", record).orElseThrow();
            assertEquals(record, r.record());
            assertEquals(Optional.of(r), c.repository("team/app"));
            assertTrue(c.createRepository("team/app", RepositoryRecord.defaults(T)).isEmpty(), "a name exists once");
            StoredRepository next = c.updateRepository(r.id(), r.version(), record.withScanOnPush(false)).orElseThrow();
            assertFalse(next.record().scanOnPush());
            assertTrue(c.updateRepository(r.id(), r.version(), record).isEmpty(), "a stale version changes nothing");
            for (String n : List.of("b", "B", "a-b", "a.b", "a_b", "a")) {
                repo(c, n);
            }
            assertEquals(List.of("B", "a", "a-b", "a.b", "a_b", "b", "team/app"), c.repositoryNames(null, 10));
            assertEquals(List.of("a-b", "a.b"), c.repositoryNames("a", 2));
            assertTrue(c.deleteRepository(r.id()));
            assertFalse(c.deleteRepository(r.id()));
            assertTrue(c.repository("team/app").isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void imagesPageNewestPushFirstWithEqualPushTimesByDigestAndNoImageTwice(SqlEngine engine) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            MetadataCatalog c = new SqlMetadataCatalog(db, "123456789012");
            long id = repo(c, "team/app").id();
            long other = repo(c, "team/other").id();
            List<ImageRecord> stored = new ArrayList<>();
            for (int i = 0; i < 23; i++) {
                Digest m = d("newest-first " + i);
                // push times with ties (every third image shares one) and microsecond steps
                Instant pushed = T.plusNanos(1000L * (i / 3));
                ImageRecord r = new ImageRecord(m, m, MediaTypes.OCI_MANIFEST, 123, 456, pushed, null, List.of(), List.of(),
                        null, null, "application/vnd.oci.image.config.v1+json", Map.of());
                c.putImage(id, r);
                stored.add(r);
            }
            c.putImage(other, image(d("elsewhere"), d("elsewhere"), List.of(), List.of(), null));
            List<ImageSummary> expected = stored.stream().map(ImageSummary::of)
                    .sorted(java.util.Comparator.comparing(ImageSummary::pushedAt, java.util.Comparator.reverseOrder())
                            .thenComparing(ImageSummary::digest))
                    .toList();
            for (int limit : List.of(1, 2, 5, 100)) {
                List<ImageSummary> all = new ArrayList<>();
                ImageSummary after = null;
                while (true) {
                    List<ImageSummary> page = c.imageSummariesNewestFirst(id, after, limit);
                    all.addAll(page);
                    if (page.size() < limit) {
                        break;
                    }
                    after = page.get(page.size() - 1);
                }
                assertEquals(expected, all, "pages of " + limit);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void imagesTagsAndLinksRoundTripAndCascade(SqlEngine engine) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            MetadataCatalog c = new SqlMetadataCatalog(db, "123456789012");
            long id = repo(c, "team/app").id();
            Digest layer = d("layer");
            Digest config = d("config");
            c.putLink(id, layer, 10, T);
            c.putLink(id, config, 5, T);
            assertEquals(Optional.of(new MetadataCatalog.BlobLink(10, T)), c.link(id, layer));
            Digest m = d("manifest");
            Digest content = d("schema1 content"); // a signed schema 1 image: its digest is not its blob
            ImageRecord rec = image(m, content, List.of(config, layer, layer), List.of(), null);
            assertEquals(Optional.of(rec), c.putImage(id, rec));
            assertEquals(Optional.of(rec), c.image(id, m), "duplicates and order in the blob list survive");
            ImageRecord again = image(m, content, List.of(), List.of(), null).withLastPulledAt(T);
            assertEquals(Optional.of(rec), c.putImage(id, again), "the first record wins");
            assertTrue(c.referencedInRepository(id, layer));
            assertTrue(c.referencedAnywhere(content), "the content blob is referenced");
            assertFalse(c.referencedAnywhere(d("nothing")));
            assertTrue(c.referencedAnywhere(layer) && c.referencedAnywhere(config), "config and layers are referenced");

            Digest index = d("index");
            c.putImage(id, image(index, index, List.of(), List.of(m), null));
            Digest sig = d("signature");
            c.putImage(id, image(sig, sig, List.of(), List.of(), m));
            List<ImageRecord> all = new ArrayList<>();
            for (Digest after = null; ; ) {
                List<ImageRecord> page = c.images(id, after, 2);
                all.addAll(page);
                if (page.size() < 2) {
                    break;
                }
                after = page.get(page.size() - 1).digest();
            }
            List<ImageRecord> single = new ArrayList<>();
            for (Digest each : new java.util.TreeSet<>(List.of(m, index, sig))) {
                single.add(c.image(id, each).orElseThrow());
            }
            assertEquals(single, all, "a page holds each image's blobs and children, as a single read does");
            c.setLastPulledAt(id, sig, T.plusSeconds(7));
            List<ImageSummary> summaries = new ArrayList<>(c.imageSummaries(id, null, 2));
            summaries.addAll(c.imageSummaries(id, summaries.get(1).digest(), 2));
            assertEquals(single.stream().map(r -> r.digest().equals(sig) ? r.withLastPulledAt(T.plusSeconds(7)) : r)
                    .map(ImageSummary::of).toList(), summaries, "a summary page shows what the full records show");
            assertEquals(List.of(config, layer, layer), c.images(id, null, 3).stream().filter(r -> r.digest().equals(m))
                    .findFirst().orElseThrow().blobs());
            assertEquals(Set.of(index), c.parents(id, m));
            assertEquals(List.of(sig), c.referrers(id, m));

            assertEquals(Optional.empty(), c.setTag(id, "v1", m, T, false));
            assertEquals(Optional.of(m), c.setTag(id, "v1", m, T, false), "the same digest is not a move");
            assertThrows(TagImmutable.class, () -> c.setTag(id, "v1", index, T, false));
            assertEquals(Optional.of(m), c.setTag(id, "v1", index, T, true));
            c.setTag(id, "v2", m, T, true);
            c.setTag(id, "A", m, T, true);
            assertThrows(ManifestUnknown.class, () -> c.setTag(id, "v3", d("missing"), T, true));
            assertEquals(List.of("A", "v2"), c.tagsOf(id, m));
            assertEquals(Map.of(m, List.of("A", "v2"), index, List.of("v1"), d("untagged"), List.of()),
                    c.tagsOf(id, List.of(m, index, d("untagged"), m)), "a batch agrees with tagsOf, in tag order");
            assertEquals(List.of(new MetadataCatalog.TagEntry("v1", index), new MetadataCatalog.TagEntry("v2", m)),
                    c.tags(id, "A", 10));

            ReferencedByIndex listed = assertThrows(ReferencedByIndex.class, () -> c.removeImage(id, m));
            assertTrue(listed.getMessage().contains(index.toString()));
            assertTrue(c.image(id, m).isPresent(), "a refused removal changes nothing");
            assertEquals(List.of("v1"), c.removeImage(id, index));
            assertEquals(List.of("A", "v2"), c.removeImage(id, m));
            assertTrue(c.tag(id, "v2").isEmpty());
            assertThrows(ManifestUnknown.class, () -> c.removeImage(id, m));

            c.setLastPulledAt(id, sig, T.plusSeconds(1));
            assertEquals(T.plusSeconds(1), c.image(id, sig).orElseThrow().lastPulledAt());
            assertEquals(Optional.of(T), c.newestLink(layer));
            assertEquals(1, c.removeLinksEverywhere(layer));
            assertTrue(c.newestLink(layer).isEmpty());

            assertTrue(c.deleteRepository(id));
            assertTrue(c.image(id, sig).isEmpty());
            c.putLink(id, layer, 10, T); // a write on a deleted id changes nothing
            assertTrue(c.link(id, layer).isEmpty());
            assertTrue(c.putImage(id, rec).isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void racingWritersNeverBothWin(SqlEngine engine) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            MetadataCatalog c = new SqlMetadataCatalog(db, "123456789012");
            long id = repo(c, "race").id();
            List<Digest> images = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Digest m = d("m" + i);
                c.putImage(id, image(m, m, List.of(), List.of(), null));
                images.add(m);
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> tags = new ArrayList<>();
                List<Future<Boolean>> creates = new ArrayList<>();
                for (Digest m : images) {
                    tags.add(pool.submit(() -> {
                        try {
                            c.setTag(id, "release", m, T, false);
                            return true;
                        } catch (TagImmutable e) {
                            return false;
                        }
                    }));
                    creates.add(pool.submit(() -> c.createRepository("same", RepositoryRecord.defaults(T)).isPresent()));
                }
                int tagWins = 0;
                int createWins = 0;
                for (int i = 0; i < images.size(); i++) {
                    tagWins += tags.get(i).get() ? 1 : 0;
                    createWins += creates.get(i).get() ? 1 : 0;
                }
                assertEquals(1, tagWins, "exactly one push creates an immutable tag");
                assertEquals(1, createWins, "exactly one creation of a name");
                assertEquals(List.of("same"), c.repositoryNames("race", 10));
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
