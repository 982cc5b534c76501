package io.lading.storage.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lading.core.Registry;
import io.lading.core.RegistrySettings;
import io.lading.core.digest.Digest;
import io.lading.core.digest.ResumableSha256;
import io.lading.core.repository.RepositoryName;
import io.lading.core.spi.BlobInfo;
import io.lading.core.spi.UploadState;
import io.lading.core.spi.UploadStore;
import io.lading.core.upload.UploadService;
import io.lading.storage.sql.SqlAccountSettings;
import io.lading.storage.sql.SqlBlobMarks;
import io.lading.storage.sql.SqlDatabase;
import io.lading.storage.sql.SqlLeases;
import io.lading.storage.sql.SqlMetadataCatalog;
import io.lading.storage.sql.SqlSecrets;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunked upload whose chunks reach different nodes (two registries over one root and one database, as
 * nodes on a shared filesystem): each chunk continues the hash state the previous one saved, and nothing is
 * read back to re-hash, unless the saved state is stale or damaged, when the data is re-read once and the
 * digest check still holds.
 */
class ChunkedUploadAcrossNodesTest {

    private static final String OWNER = "arn:aws:iam::123456789012:user/pusher";
    private static final RepositoryName REPO = RepositoryName.of("nodes/chunked");

    @TempDir
    Path root;

    private final List<SqlDatabase> databases = new ArrayList<>();
    private final AtomicInteger reReads = new AtomicInteger();
    private final AtomicInteger saves = new AtomicInteger();

    @AfterEach
    void close() {
        databases.forEach(SqlDatabase::close);
    }

    /** A node: its own services and stores over the shared root and database; reads of upload data are counted. */
    private Registry node() {
        SqlDatabase db = SqlDatabase.sqlite(root.resolve("metadata.db"), 2);
        databases.add(db);
        Clock clock = Clock.systemUTC();
        return Registry.open(new SqlMetadataCatalog(db, "123456789012"), new SqlBlobMarks(db, new SqlLeases(db, clock)),
                new SqlAccountSettings(db), new SqlSecrets(db), new LocalDiskMetadataStore(root),
                new LocalDiskBlobStore(root), new CountingReads(new LocalDiskUploadStore(root)),
                RegistrySettings.defaults(), clock);
    }

    private static byte[] data(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void chunksAlternatingBetweenNodesContinueTheSavedHashWithoutReReading() throws Exception {
        UploadService a = node().uploads();
        UploadService b = node().uploads();
        byte[] blob = data(3 * 100_003 + 17);
        UploadState s = a.start(REPO, OWNER);
        a.append(REPO, s.id(), OWNER, 0L, chunk(blob, 0, 100_003));
        b.append(REPO, s.id(), OWNER, 100_003L, chunk(blob, 100_003, 200_006));
        a.append(REPO, s.id(), OWNER, 200_006L, chunk(blob, 200_006, 300_009));
        BlobInfo stored = b.complete(REPO, s.id(), OWNER, Digest.sha256(blob), 300_009L, chunk(blob, 300_009, blob.length),
                (long) blob.length);

        assertEquals(Digest.sha256(blob), stored.digest());
        assertEquals(0, reReads.get(), "no chunk re-read what another node had hashed");
        assertArrayEquals(blob, Files.readAllBytes(new LocalDiskLayout(root).blob(stored.digest())));
    }

    @Test
    void aStaleOrDamagedSavedStateIsReReadOnceAndTheDigestStillHolds() throws Exception {
        UploadService a = node().uploads();
        byte[] blob = data(70_000);
        for (byte[] planted : List.of(staleState(blob), new byte[] {9, 9, 9})) {
            reReads.set(0);
            UploadState s = a.start(REPO, OWNER);
            a.append(REPO, s.id(), OWNER, 0L, chunk(blob, 0, 50_000));
            // as after a crash between a chunk and the save of its state: the file holds an older state, or garbage
            Files.write(new LocalDiskLayout(root).uploadHash(s.id()), planted);
            UploadService b = node().uploads();
            BlobInfo stored = b.complete(REPO, s.id(), OWNER, Digest.sha256(blob), 50_000L, chunk(blob, 50_000, blob.length),
                    null);
            assertEquals(Digest.sha256(blob), stored.digest());
            assertEquals(1, reReads.get(), "the data was re-read, once");
        }
    }

    @Test
    void aOneRequestUploadSavesNoStateAndEachChunkOfASessionSavesOne() {
        UploadService a = node().uploads();
        byte[] blob = data(1000);
        a.upload(REPO, Digest.sha256(blob), chunk(blob, 0, blob.length), null);
        assertEquals(0, saves.get(), "a monolithic upload has no next chunk to resume");
        UploadState s = a.start(REPO, OWNER);
        a.append(REPO, s.id(), OWNER, 0L, chunk(blob, 0, 400));
        a.complete(REPO, s.id(), OWNER, Digest.sha256(blob), 400L, chunk(blob, 400, blob.length), null);
        assertEquals(2, saves.get(), "a session's chunks, the final one included (a failed commit may be retried elsewhere)");
    }

    /** The state after the first 10,000 bytes: a valid state that does not cover the session's bytes. */
    private static byte[] staleState(byte[] blob) {
        MessageDigest md = ResumableSha256.newDigest();
        md.update(blob, 0, 10_000);
        return ResumableSha256.save(md);
    }

    private static InputStream chunk(byte[] blob, int from, int to) {
        return new ByteArrayInputStream(Arrays.copyOfRange(blob, from, to));
    }

    /** Counts {@link #read}, the re-reads of an upload's data. */
    private final class CountingReads implements UploadStore {
        private final UploadStore store;

        CountingReads(UploadStore store) {
            this.store = store;
        }

        @Override
        public UploadState create(String repository, String owner, java.time.Instant now) {
            return store.create(repository, owner, now);
        }

        @Override
        public java.util.Optional<UploadState> get(String uploadId) {
            return store.get(uploadId);
        }

        @Override
        public long append(String uploadId, long offset, InputStream data) {
            return store.append(uploadId, offset, data);
        }

        @Override
        public void saveHashState(String uploadId, byte[] hashState) {
            saves.incrementAndGet();
            store.saveHashState(uploadId, hashState);
        }

        @Override
        public InputStream read(String uploadId) {
            reReads.incrementAndGet();
            return store.read(uploadId);
        }

        @Override
        public BlobInfo commit(String uploadId, Digest digest) {
            return store.commit(uploadId, digest);
        }

        @Override
        public void cancel(String uploadId) {
            store.cancel(uploadId);
        }

        @Override
        public void forEach(Consumer<UploadState> sink) {
            store.forEach(sink);
        }
    }
}
