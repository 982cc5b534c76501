package io.lading.auth.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedAdminTest {

    private static final String ACCOUNT = "123456789012";

    @TempDir
    Path dataDir;

    @Test
    void createsAdminOnFirstStart() throws IOException {
        GeneratedAdmin admin = GeneratedAdmin.loadOrCreate(dataDir, ACCOUNT);
        assertTrue(admin.created());
        assertEquals("admin", admin.user().name());
        assertEquals(ACCOUNT, admin.user().accountId());
        assertTrue(admin.user().accessKeyId().matches("AKIA[A-Z0-9]{16}"), admin.user().accessKeyId());
        assertTrue(admin.user().secretAccessKey().matches("[A-Za-z0-9+/]{40}"), admin.user().secretAccessKey());
        assertTrue(Files.isRegularFile(dataDir.resolve("auth/admin-credentials.json")));
    }

    @Test
    void loadsTheSameAdminOnLaterStarts() throws IOException {
        GeneratedAdmin first = GeneratedAdmin.loadOrCreate(dataDir, ACCOUNT);
        GeneratedAdmin second = GeneratedAdmin.loadOrCreate(dataDir, ACCOUNT);
        assertFalse(second.created());
        assertEquals(first.user(), second.user());
    }

    @Test
    void writesFileReadableOnlyByOwner() throws IOException {
        assumePosix();
        GeneratedAdmin.loadOrCreate(dataDir, ACCOUNT);
        Path file = dataDir.resolve("auth/admin-credentials.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    void restrictsAnExistingFileOthersCouldRead() throws IOException {
        assumePosix();
        UserConfig created = GeneratedAdmin.loadOrCreate(dataDir, ACCOUNT).user();
        Path file = dataDir.resolve("auth/admin-credentials.json");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals(created, GeneratedAdmin.loadOrCreate(dataDir, ACCOUNT).user());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    void createsMissingDataDirectory() throws IOException {
        Path nested = dataDir.resolve("a/b");
        assertTrue(GeneratedAdmin.loadOrCreate(nested, ACCOUNT).created());
        assertTrue(Files.isRegularFile(nested.resolve("auth/admin-credentials.json")));
    }

    @Test
    void leavesNoTemporaryFiles() throws IOException {
        GeneratedAdmin.loadOrCreate(dataDir, ACCOUNT);
        try (Stream<Path> files = Files.list(dataDir.resolve("auth"))) {
            assertEquals(List.of("admin-credentials.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void generatesDifferentKeysPerInstallation(@TempDir Path otherDataDir) throws IOException {
        UserConfig one = GeneratedAdmin.loadOrCreate(dataDir, ACCOUNT).user();
        UserConfig two = GeneratedAdmin.loadOrCreate(otherDataDir, ACCOUNT).user();
        assertNotEquals(one.accessKeyId(), two.accessKeyId());
        assertNotEquals(one.secretAccessKey(), two.secretAccessKey());
    }

    @Test
    void loadsHandWrittenFileUnderConfiguredAccount() throws IOException {
        Files.createDirectories(dataDir.resolve("auth"));
        Files.writeString(dataDir.resolve("auth/admin-credentials.json"), """
                {"name":"admin","accountId":"000000000000","accessKeyId":"AKIAHANDWRITTEN0",
                 "secretAccessKey":"hand-written-secret-key"}""");
        GeneratedAdmin admin = GeneratedAdmin.loadOrCreate(dataDir, ACCOUNT);
        assertFalse(admin.created());
        assertEquals(new UserConfig("admin", ACCOUNT, "AKIAHANDWRITTEN0", "hand-written-secret-key"), admin.user());
    }

    @Test
    void refusesCorruptFile() throws IOException {
        Files.createDirectories(dataDir.resolve("auth"));
        Files.writeString(dataDir.resolve("auth/admin-credentials.json"), "{\"accessKeyId\":\"short\"}");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GeneratedAdmin.loadOrCreate(dataDir, ACCOUNT));
        assertTrue(e.getMessage().contains("admin-credentials.json"), e.getMessage());
        Files.writeString(dataDir.resolve("auth/admin-credentials.json"), "not json");
        assertThrows(IllegalStateException.class, () -> GeneratedAdmin.loadOrCreate(dataDir, ACCOUNT));
    }

    @Test
    void neverPrintsSecret() throws IOException {
        GeneratedAdmin admin = GeneratedAdmin.loadOrCreate(dataDir, ACCOUNT);
        assertFalse(admin.toString().contains(admin.user().secretAccessKey()));
    }

    private static void assumePosix() {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "file system without POSIX permissions");
    }
}
