package io.lading.http.config;

import io.lading.core.RegistrySettings;
import io.lading.http.server.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The whole configuration, bound from {@code lading-defaults.yaml} merged with the user's file, the
 * environment and flags (see {@link ConfigLoader}).
 */
public record LadingConfig(Server server, Storage storage, RegistrySection registry) {

    /** {@code server.*}. */
    public record Server(String host, int port, int maxInitialLineLength, int maxHeaderSize, Duration idleTimeout,
            int bodyBufferBytes) {
        public ServerSettings settings() {
            return new ServerSettings(host, port, maxInitialLineLength, maxHeaderSize, idleTimeout, bodyBufferBytes);
        }
    }

    /** {@code storage.*}. */
    public record Storage(Path root) {
    }

    /** {@code registry.*}. */
    public record RegistrySection(boolean createOnPush, int manifestMaxBytes, long blobMaxBytes, int pageSizeMax,
            Duration uploadExpiry, Duration uploadExpiryInterval, long manifestCacheBytes,
            Duration pullTimeResolution) {
        public RegistrySettings settings() {
            return new RegistrySettings(createOnPush, manifestMaxBytes, blobMaxBytes, pageSizeMax, uploadExpiry,
                    manifestCacheBytes, pullTimeResolution);
        }
    }
}
