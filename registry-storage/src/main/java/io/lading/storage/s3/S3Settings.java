package io.lading.storage.s3;

import java.time.Duration;
import java.util.List;

/**
 * The settings of blobs on S3 ({@code storage.s3.*}, docs/configuration.md). Checked when built, so a bad
 * value stops start-up with the key's name.
 *
 * @param bucket the bucket holding the blobs (must exist); required when blobs are on S3
 * @param prefix the key prefix under which {@code blobs/<alg>/<xx>/<hex>} are kept: empty, or ending in
 *     {@code /} (one is added)
 * @param region the bucket's region (signing region for S3-compatible stores)
 * @param endpoint an endpoint URL instead of AWS's (MinIO, Ceph RGW, R2); empty for AWS
 * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
 * @param accessKeyId explicit credentials; empty for the SDK's default chain (environment, profile, web
 *     identity, container and instance metadata)
 * @param secretAccessKey the secret of {@code accessKeyId}
 * @param sse server-side encryption asked for on writes: empty (the bucket's default), {@code AES256}
 *     (SSE-S3) or {@code aws:kms} (SSE-KMS)
 * @param kmsKeyId the KMS key of SSE-KMS; empty for the account's S3 key
 * @param partSize bytes per part of a multipart upload, 5 MiB to 5 GiB; smaller blobs go in one request
 * @param presignExpiry how long a pre-signed GET stays valid, 1 s to 7 days
 * @param redirect whether clients download blobs from S3 directly (a {@code 307} to a pre-signed GET), or
 *     through Lading (which streams them) when clients cannot reach the bucket
 * @param maxAttempts attempts per S3 request (retries of 5xx, throttling, timeouts and resets, with
 *     exponential backoff and full jitter), at least 1
 * @param maxConnections HTTP connections to S3 this node keeps at most (each proxied download holds one
 *     while it streams)
 */
public record S3Settings(String bucket, String prefix, String region, String endpoint, boolean pathStyle,
        String accessKeyId, String secretAccessKey, String sse, String kmsKeyId, long partSize,
        Duration presignExpiry, boolean redirect, int maxAttempts, int maxConnections) {

    /** S3's smallest part other than the last. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    private static final List<String> SSE = List.of("", "AES256", "aws:kms");

    public S3Settings {
        bucket = strip(bucket);
        prefix = strip(prefix);
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("storage.s3.bucket must name the bucket of the blobs (storage.blobs: s3)");
        }
        region = strip(region);
        endpoint = strip(endpoint);
        accessKeyId = strip(accessKeyId);
        secretAccessKey = strip(secretAccessKey);
        sse = strip(sse);
        kmsKeyId = strip(kmsKeyId);
        if (region.isEmpty()) {
            throw new IllegalArgumentException("storage.s3.region must not be empty");
        }
        if (!endpoint.isEmpty() && !endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
            throw new IllegalArgumentException("storage.s3.endpoint must be empty or an http:// or https:// URL, not "
                    + endpoint);
        }
        if (accessKeyId.isEmpty() != secretAccessKey.isEmpty()) {
            throw new IllegalArgumentException(
                    "storage.s3.accessKeyId and storage.s3.secretAccessKey must be given together (or neither)");
        }
        if (!SSE.contains(sse)) {
            throw new IllegalArgumentException("storage.s3.sse must be empty, AES256 or aws:kms, not " + sse);
        }
        if (!kmsKeyId.isEmpty() && !sse.equals("aws:kms")) {
            throw new IllegalArgumentException("storage.s3.kmsKeyId needs storage.s3.sse: aws:kms");
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("storage.s3.partSize must be between " + MIN_PART_SIZE + " (5 MiB) and "
                    + MAX_PART_SIZE + " (5 GiB), not " + partSize);
        }
        if (presignExpiry == null || presignExpiry.compareTo(Duration.ofSeconds(1)) < 0
                || presignExpiry.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("storage.s3.presignExpiry must be between PT1S and P7D");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("storage.s3.maxAttempts must be at least 1");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("storage.s3.maxConnections must be at least 1");
        }
    }

    /** Settings for {@code bucket} on {@code endpoint}, path-style, with explicit keys; otherwise the defaults. */
    public static S3Settings of(String bucket, String endpoint, String accessKeyId, String secretAccessKey) {
        return builder(bucket).endpoint(endpoint).pathStyle(true).keys(accessKeyId, secretAccessKey).build();
    }

    /** A builder for {@code bucket} holding the defaults of {@code storage.s3.*}. */
    public static Builder builder(String bucket) {
        return new Builder(bucket);
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(bucket);
        b.prefix = prefix;
        b.region = region;
        b.endpoint = endpoint;
        b.pathStyle = pathStyle;
        b.accessKeyId = accessKeyId;
        b.secretAccessKey = secretAccessKey;
        b.sse = sse;
        b.kmsKeyId = kmsKeyId;
        b.partSize = partSize;
        b.presignExpiry = presignExpiry;
        b.redirect = redirect;
        b.maxAttempts = maxAttempts;
        b.maxConnections = maxConnections;
        return b;
    }

    /** The same settings under another key prefix. */
    public S3Settings withPrefix(String newPrefix) {
        return toBuilder().prefix(newPrefix).build();
    }

    /**
     * Collects settings; {@link #build} checks them. The defaults are those of {@code lading-defaults.yaml}:
     * region {@code us-east-1}, AWS's endpoint, virtual-hosted addressing, the default credential chain,
     * the bucket's encryption, 16 MiB parts, 5-minute pre-signed URLs, redirected downloads, 5 attempts
     * and 64 connections.
     */
    public static final class Builder {
        private final String bucket;
        private String prefix = "";
        private String region = "us-east-1";
        private String endpoint = "";
        private boolean pathStyle;
        private String accessKeyId = "";
        private String secretAccessKey = "";
        private String sse = "";
        private String kmsKeyId = "";
        private long partSize = 16L * 1024 * 1024;
        private Duration presignExpiry = Duration.ofMinutes(5);
        private boolean redirect = true;
        private int maxAttempts = 5;
        private int maxConnections = 64;

        private Builder(String bucket) {
            this.bucket = bucket;
        }

        public Builder prefix(String value) {
            prefix = value;
            return this;
        }

        public Builder region(String value) {
            region = value;
            return this;
        }

        public Builder endpoint(String value) {
            endpoint = value;
            return this;
        }

        public Builder pathStyle(boolean value) {
            pathStyle = value;
            return this;
        }

        /** Explicit credentials; two empty strings for the SDK's default chain. */
        public Builder keys(String id, String secret) {
            accessKeyId = id;
            secretAccessKey = secret;
            return this;
        }

        /** Server-side encryption: {@code ""}, {@code AES256} or {@code aws:kms} (with a key id or {@code ""}). */
        public Builder encryption(String mode, String kmsKey) {
            sse = mode;
            kmsKeyId = kmsKey;
            return this;
        }

        public Builder partSize(long bytes) {
            partSize = bytes;
            return this;
        }

        public Builder presignExpiry(Duration value) {
            presignExpiry = value;
            return this;
        }

        public Builder redirect(boolean value) {
            redirect = value;
            return this;
        }

        public Builder maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the {@code storage.s3.*} key of a bad value */
        public S3Settings build() {
            return new S3Settings(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, sse,
                    kmsKeyId, partSize, presignExpiry, redirect, maxAttempts, maxConnections);
        }
    }

    @Override
    public String toString() {
        return "S3Settings[bucket=" + bucket + ", prefix=" + prefix + ", region=" + region + ", endpoint=" + endpoint
                + ", pathStyle=" + pathStyle + ", accessKeyId=" + accessKeyId + ", secretAccessKey="
                + (secretAccessKey.isEmpty() ? "" : "***") + ", sse=" + sse + ", kmsKeyId=" + kmsKeyId + ", partSize="
                + partSize + ", presignExpiry=" + presignExpiry + ", redirect=" + redirect + ", maxAttempts="
                + maxAttempts + ", maxConnections=" + maxConnections + "]";
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }
}
