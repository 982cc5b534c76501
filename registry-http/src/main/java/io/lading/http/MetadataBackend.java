package io.lading.http;

import io.lading.core.spi.AccountSettingsStore;
import io.lading.core.spi.MetadataCatalog;
import io.lading.core.spi.SecretStore;
import io.lading.http.config.LadingConfig;
import io.lading.storage.sql.CachedAccountSettings;
import io.lading.storage.sql.CachedMetadataCatalog;
import io.lading.storage.sql.SqlAccountSettings;
import io.lading.storage.sql.SqlDatabase;
import io.lading.storage.sql.SqlMetadataCatalog;
import io.lading.storage.sql.SqlSecrets;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata database {@code storage.metadata*} names (the embedded SQLite file under the storage
 * root, or PostgreSQL), migrated to the current schema, with the cached catalog the services use, the
 * account settings (cached, entries at most {@link CachedAccountSettings#DEFAULT_MAX_AGE} old, so a change
 * on another node applies here within that) and the shared secrets. Closing it closes the connection pool.
 */
final class MetadataBackend implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetadataBackend.class);

    /** The embedded database's file under the storage root. */
    static final String SQLITE_FILE = "metadata.db";

    private final SqlDatabase database;
    private final CachedMetadataCatalog catalog;
    private final AccountSettingsStore accountSettings;
    private final SecretStore secrets;

    private MetadataBackend(SqlDatabase database, CachedMetadataCatalog catalog) {
        this.database = database;
        this.catalog = catalog;
        this.accountSettings = new CachedAccountSettings(new SqlAccountSettings(database));
        this.secrets = new SqlSecrets(database);
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

    AccountSettingsStore accountSettings() {
        return accountSettings;
    }

    SecretStore secrets() {
        return secrets;
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
