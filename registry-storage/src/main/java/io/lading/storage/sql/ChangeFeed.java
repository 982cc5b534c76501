package io.lading.storage.sql;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Cross-node cache invalidation on PostgreSQL: every node publishes its catalog writes with
 * {@code NOTIFY} on channel {@value #CHANNEL} ({@link ChangeFeedPublisher}) and applies the others'
 * with {@code LISTEN} ({@link ChangeFeedListener}), so that a change made on one node is served by every
 * other node within {@link #STALENESS_BOUND}, even when notifications are lost (see the listener for how).
 * A node reads its own writes at once: its {@link CachedMetadataCatalog} invalidates them when it writes.
 * SQLite has one process and needs none of this.
 *
 * <p>Use: {@code feed = new ChangeFeed(db, node)}, build the catalog with {@link #publisher()} as its
 * listener, then {@link #start} with that catalog. The feed uses two connections of its own, besides the
 * pool. {@link #close} stops its three threads (sender, listener, watchdog).
 */
public final class ChangeFeed implements AutoCloseable {

    /** The notification channel every node of one database shares. */
    public static final String CHANNEL = "lading_changes";

    /** How long after another node's write this node may still serve what it cached before. */
    public static final Duration STALENESS_BOUND = Duration.ofSeconds(1);

    /** The queued changes a node may fall behind by before it sends "everything changed" instead. */
    static final int QUEUE_CAPACITY = 10_000;

    /** The notifications sent in one statement. */
    static final int MAX_BATCH = 256;

    private final SqlDatabase database;
    private final ChangeFeedCodec codec;
    private final Duration bound;
    private final ChangeFeedPublisher publisher;
    private ChangeFeedListener listener;

    /**
     * A feed for node {@code node} (an id no other live node uses, e.g. a random UUID) on PostgreSQL
     * {@code database}, meeting {@link #STALENESS_BOUND}.
     */
    public ChangeFeed(SqlDatabase database, String node) {
        this(database, node, STALENESS_BOUND, QUEUE_CAPACITY);
    }

    ChangeFeed(SqlDatabase database, String node, Duration bound, int queueCapacity) {
        this.database = Objects.requireNonNull(database, "database");
        if (database.engine() != SqlEngine.POSTGRESQL) {
            throw new IllegalArgumentException("the change feed is for PostgreSQL, not " + database.engine());
        }
        this.codec = new ChangeFeedCodec(node);
        this.bound = Objects.requireNonNull(bound, "bound");
        this.publisher = new ChangeFeedPublisher(database, codec, CHANNEL, queueCapacity, MAX_BATCH);
    }

    /** The listener to give the {@link CachedMetadataCatalog}: it queues each local change for the others. */
    public Consumer<CatalogChange> publisher() {
        return publisher;
    }

    /** Starts sending, and listening on behalf of {@code catalog}; once. */
    public synchronized void start(CachedMetadataCatalog catalog) {
        if (listener != null) {
            throw new IllegalStateException("the change feed is started already");
        }
        listener = new ChangeFeedListener(database, codec.node(), CHANNEL, catalog, bound);
        publisher.start();
        listener.start();
    }

    /**
     * Counters: {@code sent} (notifications), {@code everythingSent} ("everything changed" sent after lost
     * changes), {@code dropped} (changes that found the queue full), {@code sendFailures}, {@code queued}
     * (a gauge), and, once started, those of the listener ({@code received}, {@code everythingReceived},
     * {@code garbled}, {@code ownSkipped}, {@code reconnects}, {@code connectFailures},
     * {@code outOfSyncFlushes}, {@code connected}).
     */
    public synchronized Map<String, Long> metrics() {
        Map<String, Long> m = new LinkedHashMap<>(publisher.metrics());
        if (listener != null) {
            m.putAll(listener.metrics());
        }
        return m;
    }

    /** The listener, once started (for tests). */
    synchronized ChangeFeedListener listener() {
        return listener;
    }

    /** Stops listening, sends what is queued, and stops every thread. */
    @Override
    public synchronized void close() {
        if (listener != null) {
            listener.close();
        }
        publisher.close();
    }
}
