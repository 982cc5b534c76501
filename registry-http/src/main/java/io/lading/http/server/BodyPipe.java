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
 * {@code lowWatermark}. Every queued byte also counts against the server's shared {@link BodyBudget}:
 * when that is spent, reading pauses as well, and resumes when the budget wakes this pipe. So a blob
 * larger than the heap streams through a bounded amount of memory, and so does a crowd of them.
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
    private boolean waitingForBudget;
    private boolean held;
    private final BodyBudget budget;

    /**
     * @param reading switches reading from the socket on or off; must be safe to call from any thread
     */
    public BodyPipe(java.util.function.Consumer<Boolean> reading, long highWatermark, long lowWatermark) {
        this(reading, highWatermark, lowWatermark, BodyBudget.unlimited());
    }

    /**
     * @param reading switches reading from the socket on or off; must be safe to call from any thread
     * @param budget the server-wide budget every queued byte counts against
     */
    public BodyPipe(java.util.function.Consumer<Boolean> reading, long highWatermark, long lowWatermark,
            BodyBudget budget) {
        this.reading = reading;
        this.highWatermark = highWatermark;
        this.lowWatermark = lowWatermark;
        this.budget = budget;
    }

    /** Queues a body buffer (event loop); stops reading from the socket when the queue is full. */
    public void offer(ByteBuf buf, boolean last) {
        lock.lock();
        try {
            if (closed || failure != null) {
                buf.release();
                return;
            }
            boolean room = true;
            if (!buf.isReadable()) {
                buf.release();
            } else {
                int n = buf.readableBytes();
                queue.add(buf);
                queued += n;
                room = budget.take(n);
            }
            complete |= last;
            readable.signalAll();
            if (!complete && !paused && (queued >= highWatermark || !room)) {
                paused = true;
                pauses++;
                // toggled under the lock: a concurrent resume by the reader must not be overtaken by
                // this pause, or reading would stay off with nobody left to turn it on
                reading.accept(false);
                if (queued < lowWatermark) {
                    // paused for the budget alone: the reader may drain this pipe without resuming it
                    awaitBudget();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Holds reading off until {@link #start()}, whatever the watermarks and the budget say: a body waiting
     * for a free streaming slot must not take budget from the bodies being written.
     */
    public void hold() {
        lock.lock();
        try {
            held = true;
            reading.accept(false);
        } finally {
            lock.unlock();
        }
    }

    /** Ends a {@link #hold()}: reading resumes unless the pipe itself is paused or the body is complete. */
    public void start() {
        lock.lock();
        try {
            held = false;
            if (!paused && !complete && !closed && failure == null) {
                reading.accept(true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: resume reading now if the budget has room, else once it wakes this pipe. */
    private void resumeOrAwaitBudget() {
        if (budget.hasRoom()) {
            paused = false;
            if (!held) {
                reading.accept(true);
            }
        } else {
            awaitBudget();
        }
    }

    private void awaitBudget() {
        if (!waitingForBudget) {
            waitingForBudget = budget.waitForRoom(this::budgetHasRoom);
            if (!waitingForBudget && queued < lowWatermark) {
                paused = false;
                if (!held) {
                    reading.accept(true);
                }
            }
        }
    }

    /** Called by the budget (any thread, no budget lock held) once bytes were released. */
    private void budgetHasRoom() {
        lock.lock();
        try {
            waitingForBudget = false;
            if (paused && !complete && !closed && failure == null && queued < lowWatermark) {
                resumeOrAwaitBudget();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Fails the body, e.g. because the client went away (event loop); queued buffers are released. */
    public void fail(IOException cause) {
        long freed;
        lock.lock();
        try {
            if (failure == null && !(complete && queue.isEmpty())) {
                // the reader has not consumed the whole body: it must see an error, not a short body
                failure = cause;
            }
            freed = releaseAll();
            readable.signalAll();
        } finally {
            lock.unlock();
        }
        budget.release(freed);
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
                resumeOrAwaitBudget(); // under the lock, for the same reason as the pause in offer()
            }
        } finally {
            lock.unlock();
        }
        budget.release(n); // outside the lock: it may wake other pipes, which take their own locks
        return n;
    }

    @Override
    public void close() {
        long freed;
        lock.lock();
        try {
            closed = true;
            freed = releaseAll();
        } finally {
            lock.unlock();
        }
        budget.release(freed);
    }

    /** Releases every queued buffer; returns how many bytes they held (for the budget). */
    private long releaseAll() {
        ByteBuf buf;
        while ((buf = queue.poll()) != null) {
            buf.release();
        }
        long freed = queued;
        queued = 0;
        return freed;
    }
}
