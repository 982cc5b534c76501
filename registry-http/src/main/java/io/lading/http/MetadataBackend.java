package io.lading.http;

import io.lading.core.spi.MetadataCatalog;
import io.lading.http.config.LadingConfig;
import io.lading.storage.sql.CachedMetadataCatalog;
import io.lading.storage.sql.ChangeFeed;
import io.lading.storage.sql.SqlDatabase;
import io.lading.storage.sql.SqlMetadataCatalog;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata database {@code storage.metadata*} names (the embedded SQLite file under the storage
 * root, or PostgreSQL), migrated to the current schema, with the cached catalog the services use. On
 * PostgreSQL a {@link ChangeFeed} (node id: a random UUID per process) keeps the caches of every node
 * within {@link ChangeFeed#STALENESS_BOUND} of the others' writes. Closing it stops the feed and closes
 * the connection pool.
 */
final class MetadataBackend implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetadataBackend.class);

    /** The embedded database's file under the storage root. */
    static final String SQLITE_FILE = "metadata.db";

    private final SqlDatabase database;
    private final CachedMetadataCatalog catalog;
    private final ChangeFeed feed; // null on SQLite

    private MetadataBackend(SqlDatabase database, CachedMetadataCatalog catalog, ChangeFeed feed) {
        this.database = database;
        this.catalog = catalog;
        this.feed = feed;
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
        ChangeFeed feed = null;
        try {
            SqlMetadataCatalog sql = new SqlMetadataCatalog(database, account);
            CachedMetadataCatalog catalog;
            if (config.embeddedMetadata()) {
                catalog = new CachedMetadataCatalog(sql, config.metadataCacheBytes());
            } else {
                String node = UUID.randomUUID().toString();
                feed = new ChangeFeed(database, node);
                catalog = new CachedMetadataCatalog(sql, config.metadataCacheBytes(), feed.publisher());
                feed.start(catalog);
                log.info("Metadata caches follow the other nodes' writes on channel {} (node {}, staleness bound {} ms)",
                        ChangeFeed.CHANNEL, node, ChangeFeed.STALENESS_BOUND.toMillis());
            }
            return new MetadataBackend(database, catalog, feed);
        } catch (RuntimeException e) {
            if (feed != null) {
                feed.close();
            }
            database.close();
            throw e;
        }
    }

    MetadataCatalog catalog() {
        return catalog;
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
