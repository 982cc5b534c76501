package io.lading.http;

import io.lading.auth.token.SigningKeyRing;
import io.lading.core.account.LegacySettingsImport;
import io.lading.http.admin.SigningKeyRotation;
import io.lading.http.config.LadingConfig;
import io.lading.storage.local.LocalDiskMetadataStore;
import io.lading.storage.local.StorageRootLock;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code java -jar lading.jar rotate-signing-key [--config FILE] [--storage.root=DIR]}: rotates the password
 * signing key of a stopped registry (the next start signs with the new key), in the metadata database
 * {@code storage.metadata*} names. It first takes the storage
 * root's lock ({@link StorageRootLock}, which a running Lading holds) and refuses, changing nothing, when
 * a server holds it: a running server must rotate through {@code POST /_lading/rotate-signing-key}, so that
 * it signs with the new key at once. Stateless.
 */
final class RotateSigningKeyCommand {

    /** The command's name, the first argument. */
    static final String NAME = "rotate-signing-key";

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
        try (StorageRootLock lock = StorageRootLock.acquire(root);
                MetadataBackend backend = MetadataBackend.open(config.storage(), root, config.auth().accountId(),
                        digest -> false)) { // records no blob
            // a root an older version wrote: its ring is imported first, or the rotation would drop it
            new LegacySettingsImport(new LocalDiskMetadataStore(root), backend.accountSettings(), backend.secrets(),
                    Clock.systemUTC()).runIfNeeded();
            SigningKeyRing.Rotation r = new SigningKeyRing(backend.secrets(), Clock.systemUTC()).rotate();
            out.println("Rotated the password signing key of " + root + " at " + r.rotatedAt() + ": current key "
                    + r.keyId() + ", previous key " + orNone(r.previousKeyId()) + " (still verifies), retired key "
                    + orNone(r.retiredKeyId()) + " (its passwords and presigned URLs no longer work)."
                    + " Lading signs with the new key from its next start; running nodes that share the metadata"
                    + " database verify it at once and sign with it within "
                    + SigningKeyRing.DEFAULT_RELOAD_INTERVAL.toSeconds() + " s.");
            return 0;
        } catch (StorageRootLock.RootInUse e) {
            err.println("lading: " + e.getMessage() + "; rotate through the running server instead, as an"
                    + " administrator:\n  curl -u <access key id>:<secret> -X POST " + endpoint(config) + "/_lading/"
                    + SigningKeyRotation.NAME);
            return 1;
        } catch (RuntimeException e) {
            err.println("lading: cannot rotate the signing key in " + root + ": " + e.getMessage());
            return 1;
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
