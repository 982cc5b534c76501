package io.lading.lifecycle.gc;

import java.time.Duration;
import java.time.Instant;

/**
 * What one garbage-collection run did (or, in a dry run, would do).
 *
 * @param dryRun whether anything was deleted
 * @param startedAt when the run started
 * @param took how long it ran
 * @param blobsExamined blobs in the store
 * @param blobsDeleted unreferenced blobs older than the grace period, deleted (or deletable)
 * @param bytesFreed their total size
 * @param blobsInGrace unreferenced blobs kept because they are younger than the grace period
 * @param uploadsExpired upload sessions older than their expiry, removed (or removable)
 */
public record GcReport(boolean dryRun, Instant startedAt, Duration took, int blobsExamined, int blobsDeleted,
        long bytesFreed, int blobsInGrace, int uploadsExpired) {
}
