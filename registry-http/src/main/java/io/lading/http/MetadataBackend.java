package io.lading.http;

import io.lading.core.digest.Digest;
import io.lading.core.spi.BlobMarkStore;
import io.lading.core.spi.LeaderLeases;
import io.lading.core.spi.AccountSettingsStore;
import io.lading.core.spi.MetadataCatalog;
import io.lading.core.spi.LifecyclePreviewStore;
import io.lading.core.spi.SecretStore;
import io.lading.http.config.LadingConfig;
import io.lading.storage.sql.CachedAccountSettings;
import io.lading.storage.sql.CachedMetadataCatalog;
import io.lading.storage.sql.ChangeFeed;
import io.lading.storage.sql.SqlAccountSettings;
import io.lading.storage.sql.SqlBlobMarks;
import io.lading.storage.sql.SqlDatabase;
import io.lading.storage.sql.SqlLeases;
import io.lading.storage.sql.SqlMetadataCatalog;
import io.lading.storage.sql.SqlLifecyclePreviews;
import io.lading.storage.sql.SqlSecrets;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata database {@code storage.metadata*} names (the embedded SQLite file under the storage
 * root, or PostgreSQL), migrated to the current schema, with the cached catalog the services use, the
 * account settings (cached, entries at most {@link CachedAccountSettings#DEFAULT_MAX_AGE} old, so a change
 * on another node applies here within that), the shared secrets, the lifecycle previews, garbage collection's marks and the
 * leader leases. On PostgreSQL a {@link ChangeFeed} (node id: {@link #nodeName}, also the holder of
 * leases) keeps the catalog caches of every node within {@link ChangeFeed#STALENESS_BOUND} of the others'
 * writes. Closing it stops the feed and closes the connection pool. Public for {@code bench/ScaleGenerator},
 * which writes through the same backend as the server.
 */
public final class MetadataBackend implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetadataBackend.class);

    /** The embedded database's file under the storage root. */
    static final String SQLITE_FILE = "metadata.db";

    private final SqlDatabase database;
    private final CachedMetadataCatalog catalog;
    private final SqlLeases leases;
    private final SqlBlobMarks marks;
    private final String node;
    private final ChangeFeed feed; // null on SQLite
    private final AccountSettingsStore accountSettings;
    private final SecretStore secrets;
    private final LifecyclePreviewStore previews;

    private MetadataBackend(SqlDatabase database, CachedMetadataCatalog catalog, ChangeFeed feed, String node) {
        this.database = database;
        this.catalog = catalog;
        this.feed = feed;
        this.node = node;
        this.leases = new SqlLeases(database, Clock.systemUTC());
        this.marks = new SqlBlobMarks(database, leases);
        this.accountSettings = new CachedAccountSettings(new SqlAccountSettings(database));
        this.secrets = new SqlSecrets(database);
        this.previews = new SqlLifecyclePreviews(database);
    }

    /**
     * This process's name among the nodes sharing the database: host name (at most 40 characters), process
     * id and a random suffix; at most 64 characters, as the change feed requires.
     */
    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        host = host.length() > 40 ? host.substring(0, 40) : host;
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * @param bytesPresent whether the blob store holds a blob's bytes (the catalog asks before it records a
     *     blob it has no row for: see {@link SqlMetadataCatalog})
     */
    public static MetadataBackend open(LadingConfig.Storage config, Path root, String account, Predicate<Digest> bytesPresent) {
        SqlDatabase database;
        if (config.embeddedMetadata()) {
            Path file = root.resolve(SQLITE_FILE);
            database = SqlDatabase.sqlite(file, config.metadataConnections());
            log.info("Metadata in SQLite {}", file);
        } else {
            database = SqlDatabase.postgresql(config.metadataUrl(), config.metadataUser(), config.metadataPassword(), config.metadataConnections());
            log.info("Metadata in PostgreSQL {}", config.metadataUrl());
        }
        ChangeFeed feed = null;
        String node = nodeName();
        try {
            SqlMetadataCatalog sql = new SqlMetadataCatalog(database, account, bytesPresent);
            CachedMetadataCatalog catalog;
            if (config.embeddedMetadata()) {
                catalog = new CachedMetadataCatalog(sql, config.metadataCacheBytes());
            } else {
                feed = new ChangeFeed(database, node);
                catalog = new CachedMetadataCatalog(sql, config.metadataCacheBytes(), feed.publisher());
                feed.start(catalog);
                log.info("Metadata caches follow the other nodes' writes on channel {} (node {}, staleness bound {} ms)",
                        ChangeFeed.CHANNEL, node, ChangeFeed.STALENESS_BOUND.toMillis());
            }
            return new MetadataBackend(database, catalog, feed, node);
        } catch (RuntimeException e) {
            if (feed != null) {
                feed.close();
            }
            database.close();
            throw e;
        }
    }

    public MetadataCatalog catalog() {
        return catalog;
    }

    /** Garbage collection's marks, in the database. */
    public BlobMarkStore marks() {
        return marks;
    }

    /** The leader leases every node shares. */
    LeaderLeases leases() {
        return leases;
    }

    /** This node's name as a lease holder. */
    String node() {
        return node;
    }

    /**
     * Runs {@code job} if this node takes the lease {@code name} (for {@code interval} twice over, so a job
     * that takes longer than its interval is not started on another node meanwhile), releasing it after;
     * does nothing if another node holds it.
     */
    void asLeader(String name, Duration interval, Runnable job) {
        Optional<LeaderLeases.Lease> lease = leases.acquire(name, node, interval.multipliedBy(2));
        if (lease.isEmpty()) {
            log.debug("{}: another node holds the lease", name);
            return;
        }
        try {
            job.run();
        } finally {
            leases.release(lease.get());
        }
    }

    public AccountSettingsStore accountSettings() {
        return accountSettings;
    }

    public SecretStore secrets() {
        return secrets;
    }

    /** The lifecycle policy previews every node reads. */
    public LifecyclePreviewStore previews() {
        return previews;
    }

    /**
     * The caches' counters, for {@code /_lading/metrics}, each prefixed {@code metadataCache.}, and on
     * PostgreSQL the change feed's, prefixed {@code metadataFeed.}.
     */
    Map<String, Long> metrics() {
        Map<String, Long> out = new java.util.TreeMap<>();
        catalog.metrics().forEach((k, v) -> out.put("metadataCache." + k, v));
        if (feed != null) {
            feed.metrics().forEach((k, v) -> out.put("metadataFeed." + k, v));
        }
        return out;
    }

    @Override
    public void close() {
        if (feed != null) {
            feed.close(); // sends what is queued while the database is still open
        }
        database.close();
    }
}
