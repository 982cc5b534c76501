package io.lading.http;

import io.lading.core.spi.BlobMarkStore;
import io.lading.core.spi.LeaderLeases;
import io.lading.core.spi.MetadataCatalog;
import io.lading.http.config.LadingConfig;
import io.lading.storage.sql.CachedMetadataCatalog;
import io.lading.storage.sql.SqlBlobMarks;
import io.lading.storage.sql.SqlLeases;
import io.lading.storage.sql.SqlDatabase;
import io.lading.storage.sql.SqlMetadataCatalog;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata database {@code storage.metadata*} names (the embedded SQLite file under the storage
 * root, or PostgreSQL), migrated to the current schema, with the cached catalog the services use.
 * Closing it closes the connection pool.
 */
final class MetadataBackend implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetadataBackend.class);

    /** The embedded database's file under the storage root. */
    static final String SQLITE_FILE = "metadata.db";

    private final SqlDatabase database;
    private final CachedMetadataCatalog catalog;
    private final SqlLeases leases;
    private final SqlBlobMarks marks;
    private final String node;

    private MetadataBackend(SqlDatabase database, CachedMetadataCatalog catalog) {
        this.database = database;
        this.catalog = catalog;
        this.leases = new SqlLeases(database, Clock.systemUTC());
        this.marks = new SqlBlobMarks(database, leases);
        this.node = nodeName();
    }

    /** This process's name among the nodes sharing the database: host name, process id and a random suffix. */
    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    static MetadataBackend open(LadingConfig.Storage config, Path root, String account) {
        SqlDatabase database;
        if (config.embeddedMetadata()) {
            Path file = root.resolve(SQLITE_FILE);
            database = SqlDatabase.sqlite(file, config.metadataConnections());
            log.info("Metadata in SQLite {}", file);
        } else {
            database = SqlDatabase.postgresql(config.metadataUrl(), config.metadataUser(), config.metadataPassword(), config.metadataConnections());
            log.info("Metadata in PostgreSQL {}", config.metadataUrl());
        }
        try {
            return new MetadataBackend(database,
                    new CachedMetadataCatalog(new SqlMetadataCatalog(database, account), config.metadataCacheBytes()));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    MetadataCatalog catalog() {
        return catalog;
    }

    /** Garbage collection's marks, in the database. */
    BlobMarkStore marks() {
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

    /** The caches' counters, for {@code /_lading/metrics}, each prefixed {@code metadataCache.}. */
    Map<String, Long> metrics() {
        Map<String, Long> out = new java.util.TreeMap<>();
        catalog.metrics().forEach((k, v) -> out.put("metadataCache." + k, v));
        return out;
    }

    @Override
    public void close() {
        database.close();
    }
}
