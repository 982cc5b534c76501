package io.lading.http.server;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * One line per request on standard output: time, request id, method, path, status, response bytes and
 * duration. Lines go to a lock-free queue that a writer thread drains in batches, flushing whenever it has
 * caught up, so a busy server pays one write per batch instead of one per request, and a quiet one shows
 * each line within 50 ms. The event loop never blocks: if the queue is full the line is dropped and
 * counted. On when the {@code io.lading.access} logger is at INFO ({@code LADING_ACCESS_LOG_LEVEL}).
 * Written by hand because a logging framework's per-event formatting and flush were a third of the CPU
 * of a manifest pull. Thread-safe.
 */
public final class AccessLog implements AutoCloseable {

    private static final int CAPACITY = 65_536;

    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    private AccessLog(OutputStream out) {
        this.writer = Thread.ofPlatform().name("access-log").daemon().unstarted(() -> drain(out));
        this.writer.start();
    }

    /** An access log on standard output, or null when the {@code io.lading.access} logger is off. */
    public static AccessLog createIfEnabled() {
        if (!LoggerFactory.getLogger("io.lading.access").isInfoEnabled()) {
            return null;
        }
        return new AccessLog(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024));
    }

    /** A new request id (unique per process). */
    public String nextId() {
        return Long.toString(ids.incrementAndGet(), 36);
    }

    /** Records a finished request. Never blocks. */
    public void record(String requestId, String method, String path, int status, String bytes, long micros) {
        StringBuilder line = new StringBuilder(96 + path.length());
        line.append(timestamp()).append(" access ").append(requestId).append(' ').append(method).append(' ')
                .append(path).append(' ').append(status).append(' ').append(bytes).append(' ').append(micros)
                .append("us\n");
        // lock-free and without waking the writer: a request never pays for a thread wake-up
        if (size.incrementAndGet() > CAPACITY) {
            size.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.offer(line.toString());
    }

    /** A formatted time is reused within the same millisecond: formatting costs more than the rest of a line. */
    private record Stamp(long millis, String text) {
    }

    private volatile Stamp stamp = new Stamp(0, Instant.EPOCH.toString());

    private String timestamp() {
        long now = System.currentTimeMillis();
        Stamp s = stamp;
        if (s.millis() != now) {
            s = new Stamp(now, Instant.ofEpochMilli(now).toString());
            stamp = s;
        }
        return s.text();
    }

    /** Lines dropped because the writer fell behind. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Writes queued lines in batches and flushes whenever it has caught up. It polls instead of being
     * signalled: every millisecond while lines arrive, backing off to 50 ms when idle.
     */
    private void drain(OutputStream out) {
        long idleNanos = 1_000_000;
        try {
            while (!closed || !queue.isEmpty()) {
                String line;
                int n = 0;
                while ((line = queue.poll()) != null) {
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                    n++;
                }
                if (n > 0) {
                    size.addAndGet(-n);
                    out.flush();
                    idleNanos = 1_000_000;
                } else {
                    LockSupport.parkNanos(idleNanos);
                    idleNanos = Math.min(idleNanos * 2, 50_000_000);
                }
            }
            out.flush();
        } catch (IOException e) {
            // standard output is gone: nothing left to log to
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
