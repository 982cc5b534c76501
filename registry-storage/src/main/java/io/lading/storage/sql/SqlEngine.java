package io.lading.storage.sql;

import java.util.Map;

/**
 * The SQL engines Lading's metadata runs on, and everything that differs between them: this is the one
 * place for dialect differences. The schema ({@code db/migration/V*.sql}) is written once, with the
 * differing types as Flyway placeholders that {@link #placeholders()} fills.
 */
public enum SqlEngine {

    /** SQLite, one file under the storage root: the embedded default, for one process. */
    SQLITE(Map.of("id", "INTEGER PRIMARY KEY AUTOINCREMENT", "bytes", "BLOB", "name", "TEXT")),

    /** PostgreSQL 15 or newer: several Lading nodes share one database. */
    POSTGRESQL(Map.of("id", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "bytes", "BYTEA", "name", "TEXT COLLATE \"C\""));

    private final Map<String, String> placeholders;

    SqlEngine(Map<String, String> placeholders) {
        this.placeholders = placeholders;
    }

    /** The values of the schema's placeholders on this engine. */
    public Map<String, String> placeholders() {
        return placeholders;
    }
}
