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
            int bodyBufferBytes, long bodyMemoryBytes, int concurrentUploads, Duration headerTimeout,
            long minBodyBytesPerSecond, Duration bodyRateWindow, long requestsPerSecond, long requestBurst,
            String publicUrl) {
        public Server {
            settings(host, port, maxInitialLineLength, maxHeaderSize, idleTimeout, bodyBufferBytes, bodyMemoryBytes,
                    concurrentUploads, headerTimeout, minBodyBytesPerSecond, bodyRateWindow);
            if (requestsPerSecond < 0) {
                throw new IllegalArgumentException("server.requestsPerSecond must be 0 (off) or more");
            }
            if (requestsPerSecond > 0 && requestBurst < 1) {
                throw new IllegalArgumentException("server.requestBurst must be at least 1");
            }
        }

        /** The per-caller request rate limit these settings describe. */
        public io.lading.http.authz.RequestRateLimiter rateLimiter() {
            return new io.lading.http.authz.RequestRateLimiter(requestsPerSecond, requestBurst, RATE_LIMITED_CALLERS,
                    System::nanoTime);
        }

        /** Most callers whose request rate is tracked at once (the least recently seen are forgotten). */
        public static final long RATE_LIMITED_CALLERS = 10_000;

        public ServerSettings settings() {
            return settings(host, port, maxInitialLineLength, maxHeaderSize, idleTimeout, bodyBufferBytes,
                    bodyMemoryBytes, concurrentUploads, headerTimeout, minBodyBytesPerSecond, bodyRateWindow);
        }

        private static ServerSettings settings(String host, int port, int maxInitialLineLength, int maxHeaderSize,
                Duration idleTimeout, int bodyBufferBytes, long bodyMemoryBytes, int concurrentUploads,
                Duration headerTimeout, long minBodyBytesPerSecond, Duration bodyRateWindow) {
            return new ServerSettings(host, port, maxInitialLineLength, maxHeaderSize, idleTimeout, bodyBufferBytes,
                    bodyMemoryBytes, concurrentUploads, headerTimeout, minBodyBytesPerSecond, bodyRateWindow);
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

    /**
     * One configured user: {@code {name, accessKeyId, secretAccessKey, accountId?, policies?}}.
     *
     * @param accountId the user's 12-digit account; null means {@code auth.accountId} (the registry's own
     *     account). A user of another account reaches this registry cross-account: it needs an identity
     *     allow and a repository or registry policy that grants its account or its ARN.
     * @param policies identity policies: each entry is the name of an AWS managed policy (such as
     *     {@code AmazonEC2ContainerRegistryReadOnly}) or an inline JSON policy document. Null or empty means
     *     no policy at all: every request is denied (IAM's implicit deny), unless a repository policy of the
     *     same account grants the user directly.
     */
    public record User(String name, String accessKeyId, String secretAccessKey, String accountId,
            java.util.List<String> policies) {
        public User {
            policies = policies == null ? java.util.List.of() : java.util.List.copyOf(policies);
        }

        /** A user of the registry's account without policies. */
        public User(String name, String accessKeyId, String secretAccessKey) {
            this(name, accessKeyId, secretAccessKey, null, null);
        }
    }

    /**
     * {@code storage.*}. Repository metadata lives where {@code metadataUrl} says: empty is the embedded
     * SQLite database {@code <root>/metadata.db}; a {@code jdbc:postgresql:} URL is a PostgreSQL database (15
     * or newer) that several nodes may share. Blob bytes live where {@code blobs} says: {@code local} under
     * {@code <root>/blobs/}, or {@code s3} in the bucket of {@code s3} (checked here, so a bad S3 setting
     * stops start-up naming its key); upload sessions stay under {@code root} either way.
     *
     * @param metadataConnections this node's connection pool size (at least 1)
     * @param metadataCacheBytes the memory of the metadata caches (repositories, tags, images, blob links)
     */
    public record Storage(Path root, String metadataUrl, String metadataUser, String metadataPassword,
            int metadataConnections, long metadataCacheBytes, String blobs, S3 s3) {
        public Storage {
            metadataUrl = metadataUrl == null ? "" : metadataUrl.strip();
            if (!metadataUrl.isEmpty() && !metadataUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("storage.metadataUrl must be empty (the embedded SQLite database)"
                        + " or a jdbc:postgresql: URL, not " + metadataUrl);
            }
            if (metadataConnections < 1) {
                throw new IllegalArgumentException("storage.metadataConnections must be at least 1");
            }
            if (metadataCacheBytes < 0) {
                throw new IllegalArgumentException("storage.metadataCacheBytes must not be negative");
            }
            blobs = blobs == null ? "local" : blobs.strip();
            if (!blobs.equals("local") && !blobs.equals("s3")) {
                throw new IllegalArgumentException("storage.blobs must be local or s3, not " + blobs);
            }
            if (blobs.equals("s3")) {
                if (s3 == null) {
                    throw new IllegalArgumentException("storage.s3 must be set when storage.blobs is s3");
                }
                S3Binding.settings(s3); // throws naming the storage.s3 key of a bad value
            }
        }

        /** The embedded defaults for {@code root}. */
        public Storage(Path root) {
            this(root, "", null, null, 8, 16L << 20, "local", null);
        }

        /** Whether metadata is in the embedded SQLite database. */
        public boolean embeddedMetadata() {
            return metadataUrl.isEmpty();
        }

        /** Whether blob bytes are in an S3 bucket ({@link #s3}) rather than under {@link #root}. */
        public boolean s3Blobs() {
            return blobs.equals("s3");
        }
    }

    /**
     * {@code storage.s3.*}: the bucket of the blobs when {@code storage.blobs} is {@code s3}
     * (docs/configuration.md).
     *
     * @param downloads {@code redirect}: blob downloads are a {@code 307} to a pre-signed S3 GET; {@code proxy}:
     *     Lading streams them from S3 (for buckets clients cannot reach)
     */
    public record S3(String bucket, String prefix, String region, String endpoint, boolean pathStyle,
            String accessKeyId, String secretAccessKey, String sse, String kmsKeyId, long partSize,
            Duration presignExpiry, String downloads, int maxAttempts, int maxConnections) {
        public S3 {
            // no method of this record names an S3 class: Jackson's look at it must load none (S3Binding does)
            downloads = downloads == null ? "redirect" : downloads.strip();
            if (!downloads.equals("redirect") && !downloads.equals("proxy")) {
                throw new IllegalArgumentException("storage.s3.downloads must be redirect or proxy, not " + downloads);
            }
        }

    }

    /** {@code registry.*}. The limits must be at least 1 (checked when the configuration is read). */
    public record RegistrySection(boolean createOnPush, int manifestMaxBytes, long blobMaxBytes, int pageSizeMax,
            Duration uploadExpiry, Duration uploadExpiryInterval, long manifestCacheBytes,
            Duration pullTimeResolution, int manifestMaxDescriptors, int indexMaxDepth,
            int uploadSessionsPerPrincipal, int uploadSessionsTotal) {
        public RegistrySection {
            settings(createOnPush, manifestMaxBytes, blobMaxBytes, pageSizeMax, uploadExpiry, manifestCacheBytes,
                    pullTimeResolution, manifestMaxDescriptors, indexMaxDepth, uploadSessionsPerPrincipal,
                    uploadSessionsTotal);
        }

        public RegistrySettings settings() {
            return settings(createOnPush, manifestMaxBytes, blobMaxBytes, pageSizeMax, uploadExpiry, manifestCacheBytes,
                    pullTimeResolution, manifestMaxDescriptors, indexMaxDepth, uploadSessionsPerPrincipal,
                    uploadSessionsTotal);
        }

        private static RegistrySettings settings(boolean createOnPush, int manifestMaxBytes, long blobMaxBytes,
                int pageSizeMax, Duration uploadExpiry, long manifestCacheBytes, Duration pullTimeResolution,
                int manifestMaxDescriptors, int indexMaxDepth, int uploadSessionsPerPrincipal,
                int uploadSessionsTotal) {
            return new RegistrySettings(createOnPush, manifestMaxBytes, blobMaxBytes, pageSizeMax, uploadExpiry,
                    manifestCacheBytes, pullTimeResolution, manifestMaxDescriptors, indexMaxDepth,
                    uploadSessionsPerPrincipal, uploadSessionsTotal);
        }
    }
}
