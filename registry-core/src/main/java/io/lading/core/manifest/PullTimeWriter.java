package io.lading.core.manifest;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes images' pull times off the request path, on one background thread: a pull never waits for the
 * metadata database, and a crowd pulling one image costs one write, not one per pull (and never more
 * database connections than one). At most {@code capacity} writes wait; beyond that, and after
 * {@link #close}, a pull time is dropped and counted ({@link #dropped()}): pull times are best effort.
 * {@link #close} lets the queued writes finish (up to a deadline) so that none runs after the metadata
 * database is closed. Thread-safe.
 */
final class PullTimeWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PullTimeWriter.class);

    private final ThreadPoolExecutor worker;
    private final Set<Object> queued = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    private final Duration drainTimeout;

    /**
     * @param capacity the most writes that may wait
     * @param drainTimeout how long {@link #close} waits for the queued writes
     */
    PullTimeWriter(int capacity, Duration drainTimeout) {
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                Thread.ofVirtual().name("pull-time").factory());
        this.drainTimeout = drainTimeout;
    }

    /**
     * Queues {@code write} unless one for the same {@code image} (any key with equals) is already
     * queued or running, or the queue is full or closed (then it is dropped).
     */
    void submit(Object image, Runnable write) {
        if (!queued.add(image)) {
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    write.run();
                } catch (RuntimeException e) {
                    log.warn("Could not record pull time of {}: {}", image, e.toString());
                } finally {
                    queued.remove(image);
                }
            });
        } catch (RejectedExecutionException e) {
            queued.remove(image);
            dropped.incrementAndGet();
        }
    }

    /** Pull times dropped because the queue was full or the writer closed. */
    long dropped() {
        return dropped.get();
    }

    /** Takes no more writes and waits (up to the drain timeout) for the queued ones. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} pull times not recorded: the metadata database did not take them within {}",
                        worker.getQueue().size() + 1, drainTimeout);
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
