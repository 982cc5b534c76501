package io.lading.http.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One memory budget for every request body in flight on the server: bytes queued in {@link BodyPipe}s
 * and bodies gathered for {@link BodyMode#AGGREGATE} routes ({@code server.bodyMemoryBytes}). When it is
 * spent, connections stop reading from their sockets (backpressure) instead of allocating; each waits in
 * FIFO order and is woken as bytes are released, a few at a time (one per {@link #WAKE_STEP} of room), so
 * a crowd resumes without overshooting the budget by more than a socket read each.
 *
 * <p>Lock order: a caller may hold its own lock (a pipe's) when calling in; the budget never calls out
 * while holding its lock, so wake-ups run with no lock of the budget held. Thread-safe.
 */
public final class BodyBudget {

    /** Room a woken waiter is expected to take before it pauses again. */
    static final long WAKE_STEP = 256 * 1024;

    private final long limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Runnable> waiters = new ArrayDeque<>();
    private long used;
    private long peak;

    /** @param limit bytes of request bodies that may be held in memory at once, over all connections */
    public BodyBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("body memory budget must be positive: " + limit);
        }
        this.limit = limit;
    }

    /** A budget that never runs out (tests of a single pipe). */
    static BodyBudget unlimited() {
        return new BodyBudget(Long.MAX_VALUE);
    }

    /** Accounts {@code n} bytes that already arrived; returns whether the budget still has room. */
    boolean take(long n) {
        lock.lock();
        try {
            used += n;
            peak = Math.max(peak, used);
            return used < limit;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reserves {@code n} bytes ahead of their arrival when they fit, or when nothing else holds any (so a
     * body larger than the whole budget still proceeds, alone).
     */
    boolean tryReserve(long n) {
        lock.lock();
        try {
            if (used == 0 || used + n <= limit) {
                used += n;
                peak = Math.max(peak, used);
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Whether fewer bytes than the limit are held. */
    boolean hasRoom() {
        lock.lock();
        try {
            return used < limit;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code wake} to run once bytes are released, unless there is room now.
     *
     * @return false when there is room now (the caller proceeds and {@code wake} is not queued)
     */
    boolean waitForRoom(Runnable wake) {
        lock.lock();
        try {
            if (used < limit) {
                return false;
            }
            waiters.add(wake);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back {@code n} bytes and wakes as many waiters as the room now allows. */
    void release(long n) {
        if (n <= 0) {
            return;
        }
        List<Runnable> wake = new ArrayList<>();
        lock.lock();
        try {
            used -= n;
            long room = limit - used;
            while (room > 0 && !waiters.isEmpty()) {
                wake.add(waiters.poll());
                room -= WAKE_STEP;
            }
        } finally {
            lock.unlock();
        }
        wake.forEach(Runnable::run);
    }

    /** Bytes held now. */
    public long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    /** Most bytes held at once since start. */
    public long peak() {
        lock.lock();
        try {
            return peak;
        } finally {
            lock.unlock();
        }
    }

    public long limit() {
        return limit;
    }
}
