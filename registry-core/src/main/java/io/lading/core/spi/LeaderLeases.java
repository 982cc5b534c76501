package io.lading.core.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Named leases that let one node at a time do a job that must not run twice at once (garbage collection,
 * the lifecycle expirer), kept where every node sees them (the metadata database). Every change of holder
 * increases the lease's token, and work that must not outlive the lease (deleting a blob's bytes) is done
 * through a store that re-proves the {@link Lease} in the same transaction as the work, so a node that
 * was paused past its lease's expiry cannot act on it. Thread-safe.
 */
public interface LeaderLeases {

    /** The lease job {@code name} held by {@code holder}, with the token that fences its work. */
    record Lease(String name, String holder, long token) {
    }

    /** The lease was lost (expired and taken by another node, or released): the work was not done. */
    final class LeaseLost extends Exception {
        public LeaseLost(Lease lease) {
            super("lease '" + lease.name() + "' is no longer held by " + lease.holder() + " with token " + lease.token());
        }
    }

    /**
     * Takes the lease {@code name} for {@code holder} if it is free or expired, or renews it for another
     * {@code ttl} if {@code holder} holds it.
     *
     * @return the lease, or empty if another holder has an unexpired one
     */
    Optional<Lease> acquire(String name, String holder, Duration ttl);

    /** Gives the lease up if it is still held as {@code lease} (another holder may take it at once). */
    void release(Lease lease);
}
