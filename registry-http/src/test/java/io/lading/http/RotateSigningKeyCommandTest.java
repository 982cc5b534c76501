package io.lading.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.auth.token.SigningKeyRing;
import io.lading.http.config.ConfigLoader;
import io.lading.http.config.LadingConfig;
import io.lading.storage.local.LocalDiskMetadataStore;
import io.lading.storage.local.StorageRootLock;
import io.lading.storage.sql.SqlDatabase;
import io.lading.storage.sql.SqlSecrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar lading.jar rotate-signing-key}: rotates a stopped registry's key, refuses a running one's. */
class RotateSigningKeyCommandTest {

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        LadingConfig config = ConfigLoader.load(args, Map.of()).config();
        return RotateSigningKeyCommand.run(config, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The ring in the root's metadata database, as a node opening it now sees it: current and previous key ids. */
    private java.util.List<String> ring() {
        try (SqlDatabase db = SqlDatabase.sqlite(root.resolve(MetadataBackend.SQLITE_FILE), 1)) {
            SigningKeyRing ring = new SigningKeyRing(new SqlSecrets(db), Clock.systemUTC());
            return java.util.List.of(ring.currentKeyId(), ring.previousKeyId().orElse("none"));
        }
    }

    @Test
    void rotatesTheKeyOfAStoppedRegistry() {
        String before = ring().get(0);

        assertEquals(0, run("--storage.root=" + root), err.toString(StandardCharsets.UTF_8));

        java.util.List<String> after = ring();
        assertEquals(before, after.get(1));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("current key " + after.get(0)), printed);
        assertTrue(printed.contains("previous key " + before), printed);
    }

    /** A root an older version wrote keeps its key as the previous one: its passwords still verify. */
    @Test
    void importsTheKeyOfTheFileLayoutBeforeRotating() {
        byte[] legacy = new byte[32];
        legacy[0] = 42;
        new LocalDiskMetadataStore(root).put("auth/token-signing-key", ("{\"algorithm\":\"HmacSHA256\",\"key\":\""
                + java.util.Base64.getEncoder().encodeToString(legacy) + "\"}").getBytes(StandardCharsets.UTF_8));

        assertEquals(0, run("--storage.root=" + root), err.toString(StandardCharsets.UTF_8));

        assertEquals(SigningKeyRing.keyId(new javax.crypto.spec.SecretKeySpec(legacy, "HmacSHA256")), ring().get(1));
    }

    /** A running server holds the root's lock; rotating underneath it would leave it signing with a retired key. */
    @Test
    void refusesARootARunningServerHoldsAndTouchesNothing() throws Exception {
        String before = ring().get(0);
        Path serversTempFile = Files.createDirectories(root.resolve("tmp/server-instance")).resolve("1");
        Files.writeString(serversTempFile, "a write in progress");
        try (StorageRootLock held = StorageRootLock.acquire(root)) {
            assertEquals(1, run("--storage.root=" + root, "--server.port=5123"));
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("is in use by another Lading process"), message);
        assertTrue(message.contains("-X POST http://127.0.0.1:5123/_lading/rotate-signing-key"), message);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(serversTempFile), "the running server's temp files were removed");
        assertEquals(before, ring().get(0));
    }

    @Test
    void refusesAMissingRootWithoutCreatingIt() {
        Path missing = root.resolve("typo");
        assertEquals(1, run("--storage.root=" + missing));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no storage root at " + missing));
        assertFalse(Files.exists(missing));
    }
}
