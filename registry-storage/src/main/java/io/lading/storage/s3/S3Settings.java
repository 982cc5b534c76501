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

    /** Settings for {@code bucket} on {@code endpoint} (path-style), with explicit keys, otherwise the defaults. */
    public static S3Settings of(String bucket, String endpoint, String accessKeyId, String secretAccessKey) {
        return new S3Settings(bucket, "", "us-east-1", endpoint, true, accessKeyId, secretAccessKey, "", "",
                16L * 1024 * 1024, Duration.ofMinutes(5), true, 5, 64);
    }

    /** The same settings under another key prefix. */
    public S3Settings withPrefix(String newPrefix) {
        return new S3Settings(bucket, newPrefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, sse,
                kmsKeyId, partSize, presignExpiry, redirect, maxAttempts, maxConnections);
    }

    /** The same settings with another part size. */
    public S3Settings withPartSize(long bytes) {
        return new S3Settings(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, sse,
                kmsKeyId, bytes, presignExpiry, redirect, maxAttempts, maxConnections);
    }

    /** The same settings with downloads redirected to S3 or not. */
    public S3Settings withRedirect(boolean on) {
        return new S3Settings(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, sse,
                kmsKeyId, partSize, presignExpiry, on, maxAttempts, maxConnections);
    }

    /** The same settings with another number of attempts per request. */
    public S3Settings withMaxAttempts(int attempts) {
        return new S3Settings(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, sse,
                kmsKeyId, partSize, presignExpiry, redirect, attempts, maxConnections);
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
