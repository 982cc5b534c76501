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
 * @param blobsDeleted unreferenced blobs deleted (or deletable): outside their grace period and marked by a
 *     run at least a grace period earlier
 * @param bytesFreed their total size
 * @param blobsInGrace unreferenced blobs kept because they were created, uploaded, mounted or linked within
 *     the grace period
 * @param blobsMarked unreferenced blobs outside their grace period that wait, marked, for a second grace
 *     period before a later run deletes them (marked by this run, or earlier; a dry run marks nothing)
 * @param uploadsExpired upload sessions older than their expiry, removed (or removable)
 * @param quarantinedDocuments metadata documents in quarantine; while there are any, a run that was not
 *     a dry run acts as one ({@code dryRun} is then true): an unreadable image record may be what refers
 *     to a blob, so no blob is deleted until an operator has dealt with them
 */
public record GcReport(boolean dryRun, Instant startedAt, Duration took, int blobsExamined, int blobsDeleted,
        long bytesFreed, int blobsInGrace, int blobsMarked, int uploadsExpired, int quarantinedDocuments) {
}
