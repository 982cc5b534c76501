package io.lading.http.config;

import io.lading.core.RegistrySettings;
import io.lading.http.server.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The whole configuration, bound from {@code lading-defaults.yaml} merged with the user's file, the
 * environment and flags (see {@link ConfigLoader}).
 */
public record LadingConfig(Server server, Auth auth, Lifecycle lifecycle, Storage storage, RegistrySection registry) {

    /** {@code lifecycle.*}. */
    public record Lifecycle(Duration expirerInterval, Duration gcInterval, Duration gcGracePeriod) {
    }

    /** {@code server.*}. */
    public record Server(String host, int port, int maxInitialLineLength, int maxHeaderSize, Duration idleTimeout,
            int bodyBufferBytes, String publicUrl) {
        public ServerSettings settings() {
            return new ServerSettings(host, port, maxInitialLineLength, maxHeaderSize, idleTimeout, bodyBufferBytes);
        }
    }

    /** {@code auth.*}. */
    public record Auth(String accountId, String region, java.util.List<User> users, String dataPlane,
            Duration tokenLifetime, Duration maxClockSkew) {
        public Auth {
            users = users == null ? java.util.List.of() : java.util.List.copyOf(users);
            if (!java.util.List.of("required", "anonymousPull", "off").contains(dataPlane)) {
                throw new IllegalArgumentException("auth.dataPlane must be required, anonymousPull or off");
            }
        }
    }

    /** One configured user: {@code {name, accessKeyId, secretAccessKey}}. */
    public record User(String name, String accessKeyId, String secretAccessKey) {
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
