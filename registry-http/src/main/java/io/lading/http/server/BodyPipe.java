package io.lading.http.server;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands request-body buffers from the event loop to a worker thread as an {@link InputStream}, with
 * backpressure: once {@code highWatermark} bytes are queued, reading from the socket is switched off
 * ({@code reading.accept(false)}), and the reader switches it on again once it drained below
 * {@code lowWatermark}. So a blob larger than the heap streams through a bounded amount of memory.
 *
 * <p>Ownership: {@link #offer} takes ownership of the buffer; the reader releases each buffer when it is
 * drained, and {@link #close()} / {@link #fail} release whatever is still queued. Thread-safe between one
 * producer (the event loop) and one consumer.
 */
public final class BodyPipe extends InputStream {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private final java.util.function.Consumer<Boolean> reading;
    private final long highWatermark;
    private final long lowWatermark;
    private long queued;
    private boolean paused;
    private boolean complete;
    private boolean closed;
    private IOException failure;
    private long pauses;

    /**
     * @param reading switches reading from the socket on or off; must be safe to call from any thread
     */
    public BodyPipe(java.util.function.Consumer<Boolean> reading, long highWatermark, long lowWatermark) {
        this.reading = reading;
        this.highWatermark = highWatermark;
        this.lowWatermark = lowWatermark;
    }

    /** Queues a body buffer (event loop); stops reading from the socket when the queue is full. */
    public void offer(ByteBuf buf, boolean last) {
        lock.lock();
        try {
            if (closed || failure != null) {
                buf.release();
                return;
            }
            if (!buf.isReadable()) {
                buf.release();
            } else {
                queue.add(buf);
                queued += buf.readableBytes();
            }
            complete |= last;
            readable.signalAll();
            if (!complete && !paused && queued >= highWatermark) {
                paused = true;
                pauses++;
                // toggled under the lock: a concurrent resume by the reader must not be overtaken by
                // this pause, or reading would stay off with nobody left to turn it on
                reading.accept(false);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Fails the body, e.g. because the client went away (event loop); queued buffers are released. */
    public void fail(IOException cause) {
        lock.lock();
        try {
            if (failure == null && !(complete && queue.isEmpty())) {
                // the reader has not consumed the whole body: it must see an error, not a short body
                failure = cause;
            }
            releaseAll();
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many times the pipe stopped reading from the socket because it was full (for tests). */
    public long pauses() {
        lock.lock();
        try {
            return pauses;
        } finally {
            lock.unlock();
        }
    }

    /** True once the whole body was received. */
    public boolean isComplete() {
        lock.lock();
        try {
            return complete && queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n;
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (failure != null) {
                    throw failure;
                }
                if (complete || closed) {
                    return -1;
                }
                readable.awaitUninterruptibly();
            }
            // fill as much of the caller's buffer as is queued: fewer, larger writes downstream
            n = 0;
            while (n < len && !queue.isEmpty()) {
                ByteBuf head = queue.peek();
                int k = Math.min(len - n, head.readableBytes());
                head.readBytes(b, off + n, k);
                n += k;
                if (!head.isReadable()) {
                    queue.poll().release();
                }
            }
            queued -= n;
            if (paused && !complete && queued < lowWatermark) {
                paused = false;
                reading.accept(true); // under the lock, for the same reason as the pause in offer()
            }
        } finally {
            lock.unlock();
        }
        return n;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            releaseAll();
        } finally {
            lock.unlock();
        }
    }

    private void releaseAll() {
        ByteBuf buf;
        while ((buf = queue.poll()) != null) {
            buf.release();
        }
        queued = 0;
    }
}
