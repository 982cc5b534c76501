package io.lading.storage.sql;

import java.util.Map;

/**
 * The SQL engines Lading's metadata runs on, and everything that differs between them: this is the one
 * place for dialect differences. The schema ({@code db/migration/V*.sql}) is written once, with the
 * differing types as Flyway placeholders that {@link #placeholders()} fills.
 */
public enum SqlEngine {

    /** SQLite, one file under the storage root: the embedded default, for one process. */
    SQLITE(Map.of("id", "INTEGER PRIMARY KEY AUTOINCREMENT", "bytes", "BLOB", "name", "TEXT",
            "planner_statistics", "SELECT 1;")),

    /** PostgreSQL 15 or newer: several Lading nodes share one database. */
    POSTGRESQL(Map.of("id", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "bytes", "BYTEA", "name", "TEXT COLLATE \"C\"",
            "planner_statistics", plannerStatistics("manifests", "tags", "manifest_blobs", "manifest_children")));

    /** PostgreSQL: autovacuum analyzes each table after 1% of it changed, with 1,000 values kept of repository_id. */
    private static String plannerStatistics(String... tables) {
        StringBuilder sql = new StringBuilder();
        for (String t : tables) {
            sql.append("ALTER TABLE ").append(t).append(" SET (autovacuum_analyze_scale_factor = 0.01,")
                    .append(" autovacuum_analyze_threshold = 1000);\n")
                    .append("ALTER TABLE ").append(t).append(" ALTER COLUMN repository_id SET STATISTICS 1000;\n");
        }
        return sql.toString();
    }

    private final Map<String, String> placeholders;

    SqlEngine(Map<String, String> placeholders) {
        this.placeholders = placeholders;
    }

    /** The values of the schema's placeholders on this engine. */
    public Map<String, String> placeholders() {
        return placeholders;
    }
}
