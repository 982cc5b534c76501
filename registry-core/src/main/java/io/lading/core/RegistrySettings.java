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
 */
public record RegistrySettings(
        boolean createOnPush,
        int manifestMaxBytes,
        long blobMaxBytes,
        int pageSizeMax,
        Duration uploadExpiry,
        long manifestCacheBytes,
        Duration pullTimeResolution) {

    public static RegistrySettings defaults() {
        return new RegistrySettings(true, 4 * 1024 * 1024, 52_000L * 1024 * 1024, 1000, Duration.ofHours(24),
                32L * 1024 * 1024, Duration.ofHours(1));
    }
}
