package io.lading.storage.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.digest.DigestAlgorithm;
import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.spi.UploadState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local-disk stores find after a crash, simulated by leaving the files a crash would leave. */
class LocalDiskCrashSafetyTest {

    private static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

    @TempDir
    Path root;

    /**
     * Nodes sharing one root: a temp directory whose lock another live process holds (here a second JVM
     * running a one-file program that locks it as TempSpace does) is not removed; once that process is
     * gone, the next claim removes it.
     */
    @Test
    void anotherLiveProcesssTempDirectorySurvivesAClaim() throws Exception {
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        Path theirs = Files.createDirectories(tmp.resolve("other-node"));
        Files.write(theirs.resolve("1"), new byte[] {1});
        Path lock = Files.createFile(tmp.resolve("other-node.lock"));
        try (OtherProcessLock held = OtherProcessLock.on(lock, Files.createTempDirectory("holder"))) {
            new LocalDiskMetadataStore(root);
            assertTrue(Files.isRegularFile(theirs.resolve("1")), "a live node's temp files stay");
        }
        new LocalDiskMetadataStore(root);
        assertFalse(Files.exists(theirs), "a dead node's temp directory goes at the next claim");
        assertFalse(Files.exists(lock));
    }

    @Test
    void leftoverTempFilesAreRemovedAtStartUp() throws IOException {
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        Files.write(tmp.resolve("half-written"), new byte[] {1, 2, 3});
        Files.createDirectories(tmp.resolve("dead-instance/nested"));
        Files.write(tmp.resolve("dead-instance/nested/7"), new byte[] {4});

        new LocalDiskMetadataStore(root);

        assertEquals(List.of(), orphansIn(tmp, List.of()), "only the new instance's own directory remains");
    }

    @Test
    void startingAStoreKeepsTheTempFilesOfALiveStore() throws IOException {
        LocalDiskMetadataStore first = new LocalDiskMetadataStore(root);
        List<Path> before = list(root.resolve("tmp"));

        new LocalDiskUploadStore(root);
        new LocalDiskMetadataStore(root);

        assertTrue(list(root.resolve("tmp")).containsAll(before));
        assertTrue(first.createIfAbsent("still/works", new byte[] {1}));
    }

    @Test
    void sessionDirectoryWithoutInfoIsListedWithFallbacks() throws IOException {
        LocalDiskUploadStore uploads = new LocalDiskUploadStore(root);
        UploadState good = uploads.create("library/ok", T0);
        String id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        Path dir = Files.createDirectories(root.resolve("uploads").resolve(id));
        Files.write(dir.resolve("data"), new byte[] {1, 2, 3, 4, 5});
        Instant mtime = Instant.ofEpochMilli(1_600_000_000_000L);
        Files.setLastModifiedTime(dir, FileTime.from(mtime));
        Files.createDirectories(root.resolve("uploads/not-a-session"));
        Files.createDirectories(root.resolve("uploads/1f8fad5b-d9cb-469f-a165-70867728950e")); // no data

        List<UploadState> listed = new ArrayList<>();
        new LocalDiskUploadStore(root).forEach(listed::add);

        assertEquals(2, listed.size(), listed.toString());
        assertTrue(listed.contains(good), listed.toString());
        assertTrue(listed.contains(new UploadState(id, "", mtime, 5)), listed.toString());
        uploads.cancel(id);
        assertFalse(Files.exists(dir));
    }

    @Test
    void damagedInfoFallsBackToDirectoryTime() throws IOException {
        LocalDiskUploadStore uploads = new LocalDiskUploadStore(root);
        UploadState s = uploads.create("r", T0);
        Path dir = root.resolve("uploads").resolve(s.id());
        Files.writeString(dir.resolve("info.json"), "{\"repos");
        Instant mtime = Instant.ofEpochMilli(1_650_000_000_000L);
        Files.setLastModifiedTime(dir, FileTime.from(mtime));

        assertEquals(Optional.of(new UploadState(s.id(), "", mtime, 0)), uploads.get(s.id()));
    }

    @Test
    void failedAppendLeavesDataFileAtPreviousLength() throws IOException {
        LocalDiskUploadStore uploads = new LocalDiskUploadStore(root);
        UploadState s = uploads.create("r", T0);
        byte[] first = new byte[1000];
        new Random(1).nextBytes(first);
        uploads.append(s.id(), 0, new ByteArrayInputStream(first));
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[600_000]), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> uploads.append(s.id(), 1000, failing));

        assertEquals("connection reset", e.getCause().getMessage());
        Path data = root.resolve("uploads").resolve(s.id()).resolve("data");
        assertEquals(1000, Files.size(data));
        assertArrayEquals(first, Files.readAllBytes(data));
    }

    @Test
    void layoutMatchesTheDocumentedTree() throws IOException {
        LocalDiskUploadStore uploads = new LocalDiskUploadStore(root);
        LocalDiskMetadataStore meta = new LocalDiskMetadataStore(root);
        UploadState s = uploads.create("library/nginx", "arn:aws:iam::123456789012:user/alice", T0);
        Path session = root.resolve("uploads").resolve(s.id());
        assertTrue(Files.isRegularFile(session.resolve("data")));
        assertEquals("{\"repository\":\"library/nginx\",\"owner\":\"arn:aws:iam::123456789012:user/alice\","
                + "\"startedAt\":1700000000000}",
                Files.readString(session.resolve("info.json")));
        byte[] bytes = "hello".getBytes(UTF_8);
        uploads.append(s.id(), 0, new ByteArrayInputStream(bytes));
        String hex = DigestAlgorithm.SHA256.digest(bytes).hex();

        uploads.commit(s.id(), DigestAlgorithm.SHA256.digest(bytes));
        meta.put("repositories/library/nginx/_tags/latest", bytes);

        assertArrayEquals(bytes, Files.readAllBytes(root.resolve("blobs/sha256/" + hex.substring(0, 2) + "/" + hex)));
        assertFalse(Files.exists(session));
        assertArrayEquals(bytes, Files.readAllBytes(root.resolve("meta/repositories/library/nginx/_tags/latest@")));
    }

    @Test
    void metadataDeletePrunesEmptyDirectoriesButKeepsOthers() throws IOException {
        LocalDiskMetadataStore meta = new LocalDiskMetadataStore(root);
        meta.put("a/b/c/d", new byte[] {1});
        meta.put("a/x", new byte[] {2});

        meta.delete("a/b/c/d");

        assertFalse(Files.exists(root.resolve("meta/a/b")));
        assertTrue(Files.exists(root.resolve("meta/a/x@")));
        assertTrue(Files.isDirectory(root.resolve("meta")));
    }

    @Test
    void strayFilesInBlobDirectoriesAreNotListed() throws IOException {
        Files.createDirectories(root.resolve("blobs/sha256/ab"));
        Files.write(root.resolve("blobs/sha256/ab/not-a-digest"), new byte[] {1});
        Files.write(root.resolve("blobs/sha256/stray"), new byte[] {1});
        String misplaced = DigestAlgorithm.SHA256.digest(new byte[] {9}).hex();
        Files.write(root.resolve("blobs/sha256/ab/" + (misplaced.startsWith("ab") ? "x" : misplaced)), new byte[] {1});

        List<Object> listed = new ArrayList<>();
        new LocalDiskBlobStore(root).forEach(listed::add);

        assertEquals(List.of(), listed);
    }

    @Test
    void fileSystemErrorsBecomeStorageFailure() throws IOException {
        LocalDiskMetadataStore meta = new LocalDiskMetadataStore(root);
        Files.write(root.resolve("meta/blocked"), new byte[] {1}); // a file where a directory must go

        StorageFailure e = assertThrows(StorageFailure.class, () -> meta.put("blocked/key", new byte[] {2}));

        assertTrue(e.getMessage().contains("FileAlreadyExistsException"), e.getMessage());
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(root.resolve("meta/blocked")));
    }

    private static List<Path> orphansIn(Path tmp, List<Path> keep) throws IOException {
        List<Path> orphans = new ArrayList<>();
        for (Path p : list(tmp)) {
            boolean ownEmptyDir = Files.isDirectory(p) && list(p).isEmpty();
            boolean ownLock = p.getFileName().toString().endsWith(".lock")
                    && Files.isDirectory(p.resolveSibling(p.getFileName().toString().replace(".lock", "")));
            if (!ownEmptyDir && !ownLock && !keep.contains(p)) {
                orphans.add(p);
            }
        }
        return orphans;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
