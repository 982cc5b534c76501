package io.lading.storage.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lading.core.digest.Digest;
import io.lading.core.image.ImageRecord;
import io.lading.core.mediatype.MediaTypes;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.repository.RepositoryState;
import io.lading.core.spi.MetadataCatalog;
import io.lading.storage.local.LocalDiskMetadataStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RepositoryState#indexDepth} over the SQL catalog: exact, iterative, and linear in the images below. */
class IndexDepthTest {

    @TempDir
    Path dir;
    private SqlDatabase db;
    private MetadataCatalog catalog;
    private RepositoryState repo;
    private int serial;

    @BeforeEach
    void open() {
        db = SqlDatabase.sqlite(dir.resolve("metadata.db"), 2);
        catalog = new SqlMetadataCatalog(db, "123456789012");
        RepositoryIndex index = new RepositoryIndex(catalog, new LocalDiskMetadataStore(dir.resolve("documents")),
                Clock.systemUTC());
        repo = index.createNew(RepositoryName.of("depth/test"), RepositoryRecord.defaults(Instant.EPOCH));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Digest fresh() {
        return Digest.sha256(("image " + serial++).getBytes(StandardCharsets.UTF_8));
    }

    private Digest image() {
        Digest d = fresh();
        catalog.putImage(repo.id(), new ImageRecord(d, d, MediaTypes.OCI_MANIFEST, 10, 10, Instant.EPOCH, null,
                List.of(), List.of(), null, null, null, null));
        return d;
    }

    private Digest index(List<Digest> children) {
        return index(fresh(), children);
    }

    private Digest index(Digest d, List<Digest> children) {
        catalog.putImage(repo.id(), new ImageRecord(d, d, MediaTypes.OCI_INDEX, 10, 10, Instant.EPOCH, null,
                List.of(), children, null, null, null, null));
        return d;
    }

    @Test
    void imagesAre0IndexesOneMoreThanTheirDeepestChild() {
        Digest a = image();
        Digest i1 = index(List.of(a));
        Digest i2 = index(List.of(a, i1));
        Digest i3 = index(List.of(i2, i1, a));
        assertEquals(0, repo.indexDepth(a));
        assertEquals(1, repo.indexDepth(i1));
        assertEquals(2, repo.indexDepth(i2));
        assertEquals(3, repo.indexDepth(i3));
        assertEquals(1, repo.indexDepth(index(List.of())), "an empty index is an index");
        assertEquals(0, repo.indexDepth(fresh()), "a digest not stored here");
    }

    @Test
    void aChildPushedLaterCounts() {
        Digest missing = fresh();
        Digest parent = index(List.of(missing));
        assertEquals(1, repo.indexDepth(parent));
        // the child arrives later as an index of depth 1 (a repair, or data imported out of order)
        index(missing, List.of(image()));
        assertEquals(2, repo.indexDepth(parent));
    }

    @Test
    void aLongChainIsWalkedWithoutRecursion() throws Exception {
        Digest d = image();
        for (int i = 0; i < 3_000; i++) {
            d = index(List.of(d));
        }
        Digest top = d;
        // a small stack: a recursive walk of 3,000 levels would overflow it
        AtomicInteger depth = new AtomicInteger(-1);
        Thread walker = new Thread(null, () -> depth.set(repo.indexDepth(top)), "walker", 128 * 1024);
        walker.start();
        walker.join();
        assertEquals(3_000, depth.get());
    }

    @Test
    void sharedChildrenAreVisitedOnce() {
        // 200 levels, each index listing both indexes of the level below: 2^200 paths, 400 images
        List<Digest> level = List.of(image(), image());
        for (int i = 0; i < 200; i++) {
            List<Digest> next = new ArrayList<>();
            next.add(index(level));
            next.add(index(level));
            level = next;
        }
        Digest top = index(level);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals(201, repo.indexDepth(top)));
    }

    @Test
    void aRemovedImageIsForgotten() {
        Digest a = image();
        Digest i1 = index(List.of(a));
        assertEquals(1, repo.indexDepth(i1));
        catalog.removeImage(repo.id(), i1);
        assertEquals(0, repo.indexDepth(i1));
    }
}
