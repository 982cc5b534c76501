package io.lading.http;

import io.lading.auth.token.SigningKeyRing;
import io.lading.http.admin.SigningKeyRotation;
import io.lading.http.config.LadingConfig;
import io.lading.storage.local.LocalDiskMetadataStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * {@code java -jar lading.jar rotate-signing-key [--config FILE] [--storage.root=DIR]}: rotates the password
 * signing key of a stopped registry (the next start signs with the new key). It first takes the storage
 * root's lock ({@code <root>/lading.lock}, which a running Lading holds) and refuses, changing nothing, when
 * a server holds it: a running server must rotate through {@code POST /_lading/rotate-signing-key}, so that
 * it signs with the new key at once. Stateless.
 */
final class RotateSigningKeyCommand {

    /** The command's name, the first argument. */
    static final String NAME = "rotate-signing-key";
    /** The lock file a running Lading holds in its storage root. */
    static final String LOCK_FILE = "lading.lock";

    private RotateSigningKeyCommand() {
    }

    /**
     * Rotates and prints what it did to {@code out}, or why it did nothing to {@code err}.
     *
     * @return the exit status: 0 rotated, 1 refused or failed
     */
    static int run(LadingConfig config, PrintStream out, PrintStream err) {
        Path root = config.storage().root().toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            err.println("lading: no storage root at " + root + " (nothing to rotate); pass --storage.root=<data directory>");
            return 1;
        }
        Path lockFile = root.resolve(LOCK_FILE);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = tryLock(channel)) {
            if (lock == null) {
                err.println("lading: storage root " + root + " is in use by a running Lading (lock file " + lockFile
                        + "); rotate through the running server instead, as an administrator:\n  curl -u <access key id>:<secret> -X POST "
                        + endpoint(config) + "/_lading/" + SigningKeyRotation.NAME);
                return 1;
            }
            SigningKeyRing.Rotation r = new SigningKeyRing(new LocalDiskMetadataStore(root), Clock.systemUTC()).rotate();
            out.println("Rotated the password signing key of " + root + " at " + r.rotatedAt() + ": current key "
                    + r.keyId() + ", previous key " + orNone(r.previousKeyId()) + " (still verifies), retired key "
                    + orNone(r.retiredKeyId()) + " (its passwords and presigned URLs no longer work)."
                    + " Lading signs with the new key from its next start.");
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("lading: cannot rotate the signing key in " + root + ": " + e.getMessage());
            return 1;
        }
    }

    /** The lock, or null if another process (or another channel of this JVM) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static String endpoint(LadingConfig config) {
        String publicUrl = config.server().publicUrl();
        return publicUrl == null || publicUrl.isBlank()
                ? "http://" + config.server().host() + ":" + config.server().port()
                : publicUrl.replaceAll("/+$", "");
    }

    private static String orNone(String keyId) {
        return keyId == null ? "none" : keyId;
    }
}
