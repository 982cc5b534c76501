package io.lading.core.spi;

import io.lading.core.digest.Digest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    /**
     * One window of the recorded blobs, as garbage collection's mark phase reads them.
     *
     * @param scanned how many recorded blobs the window covered (fewer than asked for: it was the last)
     * @param last the window's last digest, where the next window starts; null if it covered none
     * @param unreferenced those of its blobs that no image references, in digest order
     */
    record Window(int scanned, Digest last, List<Digest> unreferenced) {
        public Window {
            unreferenced = List.copyOf(unreferenced);
        }
    }

    /**
     * The recorded blobs (those the metadata has a row for) after {@code after} in digest order, {@code limit}
     * of them at most, with those of them that no image references: as a config, a layer or a manifest's
     * content. One indexed look-up per blob in the database, so that the mark phase needs no per-blob round
     * trip; its answers are a snapshot that the collection re-checks before it decides.
     *
     * @param after the last digest of the previous window, or null to start at the first
     */
    Window unreferencedAfter(Digest after, int limit);

    /**
     * Of {@code digests}, those the metadata has no row for: bytes in the blob store that no push recorded
     * (a push cut between storing the bytes and recording them, or bytes from an older version). No image
     * can reference such a blob.
     */
    Set<Digest> unrecordedAmong(Collection<Digest> digests);
}
