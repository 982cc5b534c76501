package io.lading.core.spi;

import io.lading.core.digest.Digest;
import java.time.Instant;
import java.util.Optional;

/**
 * Garbage collection's marks and its point of no return, kept with the metadata so that every node sees
 * them. A collection first {@linkplain #mark marks} an unreferenced blob; a later collection that still
 * finds it unreferenced {@linkplain #collect collects} it, which succeeds only if the mark is unchanged.
 * Every push that relies on a stored blob first {@linkplain #adopt adopts} it, clearing the mark.
 *
 * <p>The contract that makes a collection safe against a push on any node: {@link #collect} checks, removes
 * the blob's metadata and runs the byte deletion in one transaction that holds the blob's row, so an
 * {@link #adopt} (and any write that references the blob) either happened before it (and the collection
 * keeps the blob) or waits until the bytes are gone (and the push, checking the blob store after adopting,
 * finds them gone and stores its own bytes or reports the blob unknown). Thread-safe.
 */
public interface BlobMarkStore {

    /** When a collection marked the blob, or empty if it is not marked. */
    Optional<Instant> markedAt(Digest digest);

    /** Marks the blob as unreferenced since {@code at}; false, changing nothing, if it is already marked. */
    boolean mark(BlobInfo blob, Instant at);

    /** Clears the blob's mark, if any. Returns whether there was one. */
    boolean adopt(Digest digest);

    /**
     * Garbage collection's point of no return, fenced by {@code lease}. In one transaction: proves the lease,
     * locks the blob's row, and checks that the mark is still {@code markedAt}, that no image references the
     * blob and that no repository linked it at or after {@code cutoff}; then removes the blob's links and its
     * row, runs {@code deleteBytes}, and commits. If any check fails nothing changes and the result is false.
     * If {@code deleteBytes} throws, the transaction rolls back and the exception propagates.
     *
     * @return whether the blob was collected
     * @throws LeaderLeases.LeaseLost if {@code lease} is no longer held; nothing was done
     */
    boolean collect(LeaderLeases.Lease lease, Digest digest, Instant markedAt, Instant cutoff, Runnable deleteBytes)
            throws LeaderLeases.LeaseLost;
}
