package io.lading.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.spi.MetadataStore;
import io.lading.core.spi.MetadataStoreContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDiskMetadataStoreTest extends MetadataStoreContract {

    private static final byte[] SECRET = "{\"key\":\"c2VjcmV0\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    @Override
    protected MetadataStore newStore() {
        return new LocalDiskMetadataStore(root);
    }

    @Test
    void aSegmentOfUpTo200CharactersKeepsItsFileAsEarlierVersionsWroteIt() {
        String key = "repositories/" + "a".repeat(200) + "/_repository";
        store.put(key, "x".getBytes(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(root.resolve("meta").resolve(key + "@")));
    }

    @Test
    void aLongerSegmentIsSplitIntoDirectoriesOf200EachButTheLastMarkedContinued() {
        String name = "b".repeat(200) + "c".repeat(200) + "d".repeat(56);
        String key = "repositories/" + name + "/_repository";
        store.put(key, "x".getBytes(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(root.resolve("meta/repositories").resolve("b".repeat(200) + "+")
                .resolve("c".repeat(200) + "+").resolve("d".repeat(56)).resolve("_repository@")));
        assertEquals(key, LocalDiskLayout.fromPath(LocalDiskLayout.toPath(key)));
    }

    @Test
    void quarantineKeepsTheBytesOwnerOnlyAndSurvivesReopening() throws IOException {
        store.put("auth/token-signing-key", SECRET);
        var q = store.quarantine("auth/token-signing-key", "unreadable", java.time.Instant.EPOCH).orElseThrow();
        assertEquals(new String(SECRET, StandardCharsets.UTF_8),
                Files.readString(Path.of(q.quarantinePath()), StandardCharsets.UTF_8));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rwx------", mode(root.resolve("quarantine")));
        }
        assertEquals(java.util.List.of(q), newStore().quarantined());
    }

    /**
     * The write path never changes permissions after creating a file, so a secret file that is
     * {@code rw-------} after each kind of write was created so: it was never readable by others.
     */
    @Test
    void secretKeysAreWrittenOwnerOnly() {
        assumePosix();
        MetadataStore store = newStore();
        assertEquals("rwx------", mode(root.resolve("meta/auth")));
        assertTrue(store.createIfAbsent("auth/signing-key", SECRET));
        assertEquals("rw-------", mode(root.resolve("meta/auth/signing-key@")));
        String version = store.get("auth/signing-key").orElseThrow().version();
        assertTrue(store.replace("auth/signing-key", version, "{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("rw-------", mode(root.resolve("meta/auth/signing-key@")));
        store.put("auth/other", SECRET);
        assertEquals("rw-------", mode(root.resolve("meta/auth/other@")));
        store.put("auth/nested/key", SECRET);
        assertEquals("rw-------", mode(root.resolve("meta/auth/nested/key@")));
    }

    @Test
    void otherKeysKeepTheDefaultPermissions() {
        assumePosix();
        MetadataStore store = newStore();
        store.put("accounts/1/settings", SECRET);
        assertTrue(mode(root.resolve("meta/accounts/1/settings@")).startsWith("rw-r"), "umask-defined mode");
    }

    @Test
    void openingTightensSecretFilesOthersCouldRead() throws IOException {
        assumePosix();
        Path dir = Files.createDirectories(root.resolve("meta/auth"));
        Path file = Files.write(dir.resolve("token-signing-key@"), SECRET);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        MetadataStore store = newStore();

        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(file));
        assertEquals(new String(SECRET, StandardCharsets.UTF_8),
                new String(store.get("auth/token-signing-key").orElseThrow().value(), StandardCharsets.UTF_8));
    }

    @Test
    void deletingTheLastSecretKeepsTheOwnerOnlyDirectory() {
        assumePosix();
        MetadataStore store = newStore();
        store.put("auth/signing-key", SECRET);
        store.delete("auth/signing-key");
        assertEquals("rwx------", mode(root.resolve("meta/auth")));
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assumePosix() {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "file system without POSIX permissions");
    }
}
