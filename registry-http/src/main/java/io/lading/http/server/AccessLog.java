package io.lading.http.server;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * One line per request on standard output: time, request id, method, path, status, response bytes and
 * duration. Lines are handed to a writer thread that writes them in batches and flushes whenever it has
 * caught up, so a busy server pays one write per batch instead of one per request, and a quiet one still
 * shows each line at once. The event loop never blocks: if the queue is full the line is dropped and
 * counted. On when the {@code io.lading.access} logger is at INFO ({@code LADING_ACCESS_LOG_LEVEL}).
 * Written by hand because a logging framework's per-event formatting and flush were a third of the CPU
 * of a manifest pull. Thread-safe.
 */
public final class AccessLog implements AutoCloseable {

    private static final int CAPACITY = 65_536;

    private final BlockingQueue<String> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    private AccessLog(OutputStream out) {
        this.queue = new ArrayBlockingQueue<>(CAPACITY);
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
        line.append(Instant.now()).append(" access ").append(requestId).append(' ').append(method).append(' ')
                .append(path).append(' ').append(status).append(' ').append(bytes).append(' ').append(micros)
                .append("us\n");
        if (!queue.offer(line.toString())) {
            dropped.incrementAndGet();
        }
    }

    /** Lines dropped because the writer fell behind. */
    public long dropped() {
        return dropped.get();
    }

    private void drain(OutputStream out) {
        List<String> batch = new ArrayList<>(1024);
        try {
            while (!closed || !queue.isEmpty()) {
                String first = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 4095);
                for (String line : batch) {
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                }
                batch.clear();
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
