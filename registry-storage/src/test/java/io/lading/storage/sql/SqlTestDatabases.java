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
}
