package io.lading.storage.sql;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

/** Fresh metadata databases on each engine, for tests that run on both. */
public final class SqlTestDatabases {

    private SqlTestDatabases() {
    }

    /**
     * A new, migrated database: SQLite in {@code dir}, or a new database in this JVM's PostgreSQL test
     * cluster (skipped when PostgreSQL is not installed, except under {@code CI=true}, where that fails).
     */
    public static SqlDatabase open(SqlEngine engine, Path dir) throws Exception {
        return switch (engine) {
            case SQLITE -> SqlDatabase.sqlite(dir.resolve("metadata.db"), 4);
            case POSTGRESQL -> {
                boolean ci = "true".equals(System.getenv("CI"));
                assumeTrue(ci || PostgresTestCluster.available(),
                        "PostgreSQL is not installed (apt-get install postgresql)");
                PostgresTestCluster pg = PostgresTestCluster.get();
                yield SqlDatabase.postgresql(pg.newDatabase(), pg.user(), "", 4);
            }
        };
    }

    /**
     * A second pool on the database {@code db} opened by {@link #open} with the same {@code dir}: what a
     * second node sharing the metadata database connects to.
     */
    public static SqlDatabase another(SqlEngine engine, Path dir, SqlDatabase db) throws Exception {
        if (engine == SqlEngine.SQLITE) {
            return SqlDatabase.sqlite(dir.resolve("metadata.db"), 4);
        }
        String url;
        try (java.sql.Connection c = db.connection()) {
            url = c.getMetaData().getURL();
        }
        return SqlDatabase.postgresql(url, PostgresTestCluster.get().user(), "", 4);
    }
}
