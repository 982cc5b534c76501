package io.lading.storage.sql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this node's catalog changes to the other nodes: the listener a {@link CachedMetadataCatalog} is
 * given. {@link #accept} only offers the change to a bounded queue, so a write never waits for the
 * network; one daemon thread drains it and sends {@code pg_notify(channel, payload)} over its own
 * connection ({@link SqlDatabase#openDedicated}, so it never waits behind requests for a pooled one),
 * up to {@code maxBatch} notifications in one statement, one transaction and one round trip.
 *
 * <p>Nothing is lost silently: when the queue is full, the change is dropped and the next thing sent
 * is "everything may have changed" (receivers drop every cached entry) instead of whatever is queued.
 * When sending fails (the database is unreachable), the thread reconnects with backoff and, once it
 * can, also sends "everything" first, as it cannot know what the failed statement delivered. Either way
 * the "everything" is sent after every lost change committed, so it covers them.
 */
final class ChangeFeedPublisher implements Consumer<CatalogChange>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeedPublisher.class);
    private static final String SEND = "SELECT pg_notify(?, p) FROM unnest(?::text[]) WITH ORDINALITY AS t(p, i) ORDER BY i";
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final SqlDatabase database;
    private final ChangeFeedCodec codec;
    private final String channel;
    private final int maxBatch;
    private final BlockingQueue<CatalogChange> queue;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final Thread thread;
    private final LongAdder sent = new LongAdder();
    private final LongAdder everythingSent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private volatile boolean closing;
    // the sender thread's:
    private Connection connection;
    private boolean owesEverything; // changes were lost or a send failed: "everything" goes next
    private boolean failing; // the last send failed

    /**
     * A publisher of {@code codec}'s node to {@code channel}, queueing at most {@code capacity} changes;
     * {@link #start} starts sending.
     */
    ChangeFeedPublisher(SqlDatabase database, ChangeFeedCodec codec, String channel, int capacity, int maxBatch) {
        this.database = Objects.requireNonNull(database, "database");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.channel = Objects.requireNonNull(channel, "channel");
        if (capacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("capacity and maxBatch must be positive: " + capacity + ", " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().name("lading-feed-sender").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Queues {@code change} for the other nodes, never blocking; a full queue turns into "everything". */
    @Override
    public void accept(CatalogChange change) {
        if (!queue.offer(Objects.requireNonNull(change, "change"))) {
            dropped.increment();
            overflowed.set(true);
        }
    }

    /** {@code sent}, {@code everythingSent}, {@code dropped}, {@code sendFailures} and the gauge {@code queued}. */
    Map<String, Long> metrics() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("sent", sent.sum());
        m.put("everythingSent", everythingSent.sum());
        m.put("dropped", dropped.sum());
        m.put("sendFailures", sendFailures.sum());
        m.put("queued", (long) queue.size());
        return m;
    }

    /**
     * Sends what is queued (one attempt, bounded by the network timeout) and stops the thread; changes
     * offered after that are dropped.
     */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(NETWORK_TIMEOUT.plus(POLL).multipliedBy(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("The change feed sender did not stop in time");
            thread.interrupt();
        }
    }

    private void run() {
        try {
            connect(); // now rather than at the first change, which then goes out sooner
        } catch (SQLException e) {
            disconnect(); // the first send tries again
        }
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            boolean last = closing;
            List<String> payloads;
            try {
                payloads = next();
            } catch (InterruptedException e) {
                break;
            }
            if (!payloads.isEmpty()) {
                try {
                    send(payloads);
                    backoff = FIRST_BACKOFF;
                } catch (SQLException | RuntimeException e) {
                    sendFailures.increment();
                    if (!failing) {
                        LOG.warn("Could not send {} change notification(s), will send \"everything changed\" once the database answers: {}",
                                payloads.size(), e.toString());
                    }
                    failing = true;
                    owesEverything = true;
                    disconnect();
                    if (!last && !pause(backoff)) {
                        break;
                    }
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
            if (last) {
                break;
            }
        }
        disconnect();
    }

    /** The payloads to send next, waiting at most {@link #POLL}: "everything", or up to a batch of changes. */
    private List<String> next() throws InterruptedException {
        CatalogChange first = closing || owesEverything ? queue.poll() : queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
        if (overflowed.getAndSet(false)) {
            owesEverything = true;
        }
        if (owesEverything) {
            // what is queued now was committed before "everything" will be sent: it covers them
            queue.clear();
            return List.of(codec.encodeEverything());
        }
        if (first == null) {
            return List.of();
        }
        List<CatalogChange> batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        return batch.stream().map(codec::encode).toList();
    }

    private void send(List<String> payloads) throws SQLException {
        connect();
        try (PreparedStatement s = connection.prepareStatement(SEND)) {
            Array array = connection.createArrayOf("text", payloads.toArray());
            s.setString(1, channel);
            s.setArray(2, array);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    // pg_notify returns void: one row per notification
                }
            }
            array.free();
        }
        sent.add(payloads.size());
        if (owesEverything) {
            everythingSent.increment();
            owesEverything = false;
        }
        if (failing) {
            LOG.info("Change notifications are sent again");
            failing = false;
        }
    }

    private void connect() throws SQLException {
        if (connection == null) {
            connection = database.openDedicated("lading-feed-sender-" + codec.node(), NETWORK_TIMEOUT);
            connection.setNetworkTimeout(Runnable::run, (int) NETWORK_TIMEOUT.toMillis());
        }
    }

    private boolean pause(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // it failed already
            }
            connection = null;
        }
    }
}
