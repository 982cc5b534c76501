package io.lading.core;

import java.time.Duration;

/**
 * Behaviour and limits of the core services, set from configuration.
 *
 * @param createOnPush whether a push to a missing repository creates it (ECR: false)
 * @param manifestMaxBytes largest manifest accepted (ECR: 4 MiB)
 * @param blobMaxBytes largest blob accepted (ECR: 52,000 MiB)
 * @param pageSizeMax the cap on {@code n} for tag, catalog and similar lists
 * @param uploadExpiry how long an upload session lives after it starts (however active), as Distribution purges by age
 * @param manifestCacheBytes how many bytes of manifest content are kept in memory
 * @param pullTimeResolution pull times are recorded at most this often per image
 * @param manifestMaxDescriptors most descriptors one manifest may carry: config, layers and subject of an image
 *     manifest, manifests and subject of an index (default {@value #DEFAULT_MANIFEST_MAX_DESCRIPTORS}). Real
 *     images need far fewer: Docker's layer store refuses images of more than 125 layers, multi-platform
 *     indexes list tens of manifests (each platform and its attestation); 1,000 leaves room for artifacts
 *     that store one file per layer. Without a limit a 4 MiB manifest carries about 25,000 descriptors, each
 *     held in memory for as long as the image exists.
 * @param indexMaxDepth deepest nesting of indexes (default {@value #DEFAULT_INDEX_MAX_DEPTH}): an index listing
 *     only image manifests has depth 1, an index listing an index of depth d has depth d + 1. Real indexes are
 *     1 deep, an index of indexes 2, with attestations or signatures around them 3; clients walk nested
 *     indexes recursively on every pull, so an unbounded chain costs every puller.
 * @param uploadSessionsPerPrincipal most upload sessions one authenticated principal may hold open at once
 *     (default {@value #DEFAULT_UPLOAD_SESSIONS_PER_PRINCIPAL}); sessions opened without authentication count
 *     only towards {@code uploadSessionsTotal}
 * @param uploadSessionsTotal most upload sessions open at once in total (default
 *     {@value #DEFAULT_UPLOAD_SESSIONS_TOTAL})
 */
public record RegistrySettings(
        boolean createOnPush,
        int manifestMaxBytes,
        long blobMaxBytes,
        int pageSizeMax,
        Duration uploadExpiry,
        long manifestCacheBytes,
        Duration pullTimeResolution,
        int manifestMaxDescriptors,
        int indexMaxDepth,
        int uploadSessionsPerPrincipal,
        int uploadSessionsTotal) {

    /** Default of {@link #manifestMaxDescriptors()}. */
    public static final int DEFAULT_MANIFEST_MAX_DESCRIPTORS = 1000;
    /** Default of {@link #indexMaxDepth()}. */
    public static final int DEFAULT_INDEX_MAX_DEPTH = 8;
    /**
     * Default of {@link #uploadSessionsPerPrincipal()}: docker pushes at most 5 layers of an image at once
     * (containerd 3), so 100 is 20 concurrent pushes by one principal.
     */
    public static final int DEFAULT_UPLOAD_SESSIONS_PER_PRINCIPAL = 100;
    /**
     * Default of {@link #uploadSessionsTotal()}: 200 concurrent pushes, more than one process on the shipped
     * memory budget serves at once.
     */
    public static final int DEFAULT_UPLOAD_SESSIONS_TOTAL = 1000;

    /** The configuration keys of the limits, as error messages name them. */
    public static final String MANIFEST_MAX_DESCRIPTORS_KEY = "registry.manifestMaxDescriptors";
    public static final String INDEX_MAX_DEPTH_KEY = "registry.indexMaxDepth";
    public static final String UPLOAD_SESSIONS_PER_PRINCIPAL_KEY = "registry.uploadSessionsPerPrincipal";
    public static final String UPLOAD_SESSIONS_TOTAL_KEY = "registry.uploadSessionsTotal";

    public RegistrySettings {
        positive(manifestMaxDescriptors, MANIFEST_MAX_DESCRIPTORS_KEY);
        positive(indexMaxDepth, INDEX_MAX_DEPTH_KEY);
        positive(uploadSessionsPerPrincipal, UPLOAD_SESSIONS_PER_PRINCIPAL_KEY);
        positive(uploadSessionsTotal, UPLOAD_SESSIONS_TOTAL_KEY);
    }

    private static void positive(int value, String key) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, not " + value);
        }
    }

    public static RegistrySettings defaults() {
        return new RegistrySettings(true, 4 * 1024 * 1024, 52_000L * 1024 * 1024, 1000, Duration.ofHours(24),
                32L * 1024 * 1024, Duration.ofHours(1), DEFAULT_MANIFEST_MAX_DESCRIPTORS, DEFAULT_INDEX_MAX_DEPTH,
                DEFAULT_UPLOAD_SESSIONS_PER_PRINCIPAL, DEFAULT_UPLOAD_SESSIONS_TOTAL);
    }

    /** These settings with the two upload session limits replaced. */
    public RegistrySettings withUploadSessionLimits(int perPrincipal, int total) {
        return new RegistrySettings(createOnPush, manifestMaxBytes, blobMaxBytes, pageSizeMax, uploadExpiry,
                manifestCacheBytes, pullTimeResolution, manifestMaxDescriptors, indexMaxDepth, perPrincipal, total);
    }
}
