package io.lading.http.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.StoredMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every file under the data directory that holds a secret (the generated administrator's secret access
 * key; the password signing keys, in the metadata database and its write-ahead log) is readable by its
 * owner only from the first start, and one found with wider permissions is restricted at the next start:
 * read access to the data directory must not let anyone mint a registry password.
 */
class SecretFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Path> DATABASE = List.of(Path.of("metadata.db"), Path.of("metadata.db-wal"),
            Path.of("metadata.db-shm"));
    private static final Path ADMIN = Path.of("auth/admin-credentials.json");

    /** No users configured: the first start generates the administrator. */
    @RegisterExtension
    static LadingServer server = LadingServer.withoutUsers();

    @BeforeAll
    static void posixOnly() {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "file system without POSIX permissions");
    }

    @Test
    @Tag("embedded-only") // the signing keys are in the SQLite file; with PostgreSQL they are in its table
    void everyFileHoldingASecretIsOwnerOnlyAfterFirstStart() throws Exception {
        Map<String, String> modes = modesOfFilesHoldingSecrets();
        assertEquals(ADMIN.toString(), modes.keySet().iterator().next(), modes.toString());
        assertTrue(modes.size() > 1 && modes.keySet().stream().skip(1).allMatch(f -> f.startsWith("metadata.db")),
                "the signing keys are in the metadata database only: " + modes);
        assertTrue(modes.values().stream().allMatch("rw-------"::equals), modes.toString());
        for (Path file : DATABASE) {
            assertEquals("rw-------", mode(server.dataDir().resolve(file)), file.toString());
        }
        assertEquals("rwx------", mode(server.dataDir().resolve("auth")));
    }

    @Test
    @Tag("embedded-only") // the SQLite file's modes; with PostgreSQL there is no such file
    void aRestartRestrictsSecretFilesOthersCouldRead() throws Exception {
        Path root = server.dataDir();
        server.stop();
        Files.setPosixFilePermissions(root.resolve(ADMIN), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(root.resolve(ADMIN).getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path file : DATABASE) {
            if (Files.exists(root.resolve(file))) {
                Files.setPosixFilePermissions(root.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        server.start();
        assertEquals("rw-------", mode(root.resolve(ADMIN)));
        assertEquals("rwx------", mode(root.resolve(ADMIN).getParent()));
        for (Path file : DATABASE) {
            assertEquals("rw-------", mode(root.resolve(file)), file.toString());
        }
    }

    /** Scans every file under the data directory for the secrets' text. */
    private static Map<String, String> modesOfFilesHoldingSecrets() throws Exception {
        Path root = server.dataDir();
        List<String> secrets = new ArrayList<>();
        secrets.add(server.lading().admin().secretAccessKey());
        JsonNode ring = JSON.readTree(StoredMetadata.signingKeyRing(root));
        ring.findValues("key").forEach(k -> secrets.add(k.asText()));
        assertFalse(secrets.size() < 2, "no signing key found in " + ring);
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (secrets.stream().anyMatch(content::contains)) {
                    modes.put(root.relativize(file).toString(), mode(file));
                }
            }
        }
        return modes;
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
