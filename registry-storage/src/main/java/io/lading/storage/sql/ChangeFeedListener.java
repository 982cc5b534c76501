package io.lading.storage.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the other nodes' catalog changes to this node's {@link CachedMetadataCatalog}: one connection
 * of its own ({@link SqlDatabase#openDedicated}, not a pooled one) runs {@code LISTEN channel}, and a
 * daemon thread polls it, handing each change to {@link CachedMetadataCatalog#invalidate} ("everything",
 * and payloads it cannot read, to {@link CachedMetadataCatalog#invalidateAll}); its own node's
 * notifications it skips, as the catalog invalidated those entries when it wrote.
 *
 * <h2>The staleness bound</h2>
 * A change committed on another node is served here at most {@code bound} after that node's sender sent
 * it (normally milliseconds after the commit). While the connection is up, the notification arrives
 * within milliseconds. To notice a connection that died silently, the thread does a round trip
 * ({@code SELECT 1}) when {@code bound/5} passed since the last one, waiting {@code bound/10} at most for
 * notifications in between, and failing after a network timeout of {@code bound/4};
 * PostgreSQL delivers every notification committed before a query started before that query's answer,
 * so once the thread has applied what came with it, the caches hold nothing older than the query's
 * start: that instant is "in sync". A watchdog thread checks every {@code bound/10}: when the last sync
 * is more than {@code bound/2} old (the connection is lost, being re-established, or stuck), it drops
 * every cached entry, and keeps doing so each check until the connection is back; so no entry outlives
 * a missed change by more than about {@code 0.6 bound}. After every (re)connection the thread runs
 * {@code LISTEN}, then drops every entry (changes sent before the {@code LISTEN} took effect were
 * never delivered), then counts as in sync. Reconnection backs off from 100 ms to 5 s, with jitter.
 */
final class ChangeFeedListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeedListener.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final SqlDatabase database;
    private final String node;
    private final String channel;
    private final CachedMetadataCatalog catalog;
    private final long pollMillis;
    private final long pingNanos;
    private final int networkTimeoutMillis;
    private final long outOfSyncNanos;
    private final long watchdogMillis;
    private final Thread listener;
    private final Thread watchdog;
    private final LongAdder received = new LongAdder();
    private final LongAdder everythingReceived = new LongAdder();
    private final LongAdder garbled = new LongAdder();
    private final LongAdder ownSkipped = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder outOfSyncFlushes = new LongAdder();
    private volatile boolean closing;
    private volatile Connection connection;
    private volatile int backendPid;
    private volatile long syncedAt = System.nanoTime() - Long.MAX_VALUE / 2; // never

    /** A listener of {@code channel} for node {@code node}, meeting {@code bound}; {@link #start} starts it. */
    ChangeFeedListener(SqlDatabase database, String node, String channel, CachedMetadataCatalog catalog, Duration bound) {
        this.database = Objects.requireNonNull(database, "database");
        this.node = Objects.requireNonNull(node, "node");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        if (bound.toMillis() < 100) {
            throw new IllegalArgumentException("the staleness bound must be at least 100 ms: " + bound);
        }
        this.pollMillis = bound.toMillis() / 10;
        this.pingNanos = bound.toNanos() / 5;
        this.networkTimeoutMillis = (int) (bound.toMillis() / 4);
        this.outOfSyncNanos = bound.toNanos() / 2;
        this.watchdogMillis = bound.toMillis() / 10;
        this.listener = Thread.ofPlatform().name("lading-feed-listener").daemon().unstarted(this::listen);
        this.watchdog = Thread.ofPlatform().name("lading-feed-watchdog").daemon().unstarted(this::watch);
    }

    void start() {
        listener.start();
        watchdog.start();
    }

    /**
     * {@code received} (changes from other nodes applied, "everything" included), {@code everythingReceived},
     * {@code garbled}, {@code ownSkipped}, {@code reconnects} (connections re-established after a loss),
     * {@code connectFailures}, {@code outOfSyncFlushes} (caches dropped by the watchdog) and the gauge
     * {@code connected} (1 while listening).
     */
    Map<String, Long> metrics() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("received", received.sum());
        m.put("everythingReceived", everythingReceived.sum());
        m.put("garbled", garbled.sum());
        m.put("ownSkipped", ownSkipped.sum());
        m.put("reconnects", reconnects.sum());
        m.put("connectFailures", connectFailures.sum());
        m.put("outOfSyncFlushes", outOfSyncFlushes.sum());
        m.put("connected", connection == null ? 0L : 1L);
        return m;
    }

    /** The server process of the listening connection, 0 when there is none (for tests that kill it). */
    int backendPid() {
        return backendPid;
    }

    /** Stops both threads, closing the connection under the listener thread if it is busy. */
    @Override
    public void close() {
        closing = true;
        watchdog.interrupt();
        listener.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException e) {
                // closing anyway
            }
        }
        join(watchdog);
        join(listener);
    }

    private static void join(Thread t) {
        try {
            t.join(CONNECT_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("{} did not stop in time", t.getName());
        }
    }

    // ---- the listener thread ----

    private void listen() {
        Duration backoff = FIRST_BACKOFF;
        boolean wasConnected = false;
        boolean reported = false;
        while (!closing) {
            try {
                connect();
                if (wasConnected) {
                    reconnects.increment();
                    LOG.info("Listening for catalog changes again (all cached metadata dropped)");
                }
                wasConnected = true;
                reported = false;
                backoff = FIRST_BACKOFF;
                poll();
            } catch (SQLException | RuntimeException e) {
                if (closing) {
                    break;
                }
                if (connection == null) {
                    connectFailures.increment();
                }
                if (!reported) {
                    LOG.warn("The catalog change listener lost its connection, reconnecting (cached metadata is dropped"
                            + " every {} ms meanwhile): {}", watchdogMillis, e.toString());
                    reported = true;
                }
            } finally {
                disconnect();
            }
            try {
                Thread.sleep(jitter(backoff));
            } catch (InterruptedException e) {
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        disconnect();
    }

    private void connect() throws SQLException {
        Connection c = database.openDedicated("lading-feed-listener-" + node, CONNECT_TIMEOUT);
        try {
            c.setAutoCommit(true);
            c.setNetworkTimeout(Runnable::run, networkTimeoutMillis);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + quoted(channel));
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        connection = c;
        backendPid = c.unwrap(PGConnection.class).getBackendPID();
        long at = System.nanoTime();
        catalog.invalidateAll(); // what was sent before the LISTEN took effect never reaches us
        syncedAt = at;
        if (closing) {
            throw new SQLException("closing");
        }
    }

    private void poll() throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long lastPing = System.nanoTime();
        while (!closing) {
            apply(pg.getNotifications((int) pollMillis));
            if (System.nanoTime() - lastPing >= pingNanos) {
                long at = System.nanoTime();
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT 1");
                }
                apply(pg.getNotifications()); // those that came with the answer
                syncedAt = at;
                lastPing = at;
            }
        }
    }

    private void apply(PGNotification[] notifications) {
        if (notifications == null) {
            return;
        }
        for (PGNotification n : notifications) {
            if (!channel.equals(n.getName())) {
                continue;
            }
            ChangeFeedCodec.Notice notice;
            try {
                notice = ChangeFeedCodec.decode(n.getParameter());
            } catch (IllegalArgumentException e) {
                garbled.increment();
                LOG.warn("Unreadable catalog change notification from server process {}, dropping all cached metadata: {}",
                        n.getPID(), e.getMessage());
                catalog.invalidateAll();
                continue;
            }
            if (notice.node().equals(node)) {
                ownSkipped.increment();
                continue;
            }
            received.increment();
            notice.change().ifPresentOrElse(catalog::invalidate, () -> {
                everythingReceived.increment();
                catalog.invalidateAll();
            });
        }
    }

    private void disconnect() {
        Connection c = connection;
        connection = null;
        backendPid = 0;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // it failed already
            }
        }
    }

    private static Duration jitter(Duration d) {
        long ms = d.toMillis();
        return Duration.ofMillis(ms - ms / 5 + ThreadLocalRandom.current().nextLong(ms / 5 * 2 + 1));
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    // ---- the watchdog thread ----

    private void watch() {
        while (!closing) {
            try {
                Thread.sleep(watchdogMillis);
            } catch (InterruptedException e) {
                break;
            }
            if (System.nanoTime() - syncedAt > outOfSyncNanos) {
                outOfSyncFlushes.increment();
                catalog.invalidateAll();
            }
        }
    }
}
