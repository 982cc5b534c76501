package io.lading.storage.local;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks chosen by the hash of a name, so that operations on one name are serialised
 * without keeping a lock per name. Two names may share a lock; that only costs concurrency. Locks are
 * per process: they do not coordinate several processes. Thread-safe.
 */
final class StripedLocks {

    private static final int STRIPES = 256;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    StripedLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** The lock guarding {@code name}. */
    ReentrantLock lockFor(String name) {
        int h = name.hashCode();
        h ^= h >>> 16;
        return locks[h & (STRIPES - 1)];
    }
}
