package io.lading.storage.sql;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Fresh metadata databases on each engine, for tests that run on both. */
public final class SqlTestDatabases {

    private SqlTestDatabases() {
    }

    /**
     * A new, migrated database: SQLite in {@code dir}, or a new database in this JVM's PostgreSQL test
     * cluster (skipped when PostgreSQL is not installed, except under {@code CI=true}, where that fails).
     */
    public static SqlDatabase open(SqlEngine engine, Path dir) throws Exception {
        return nodes(engine, dir, 1).get(0);
    }

    /**
     * {@code n} connection pools on one new, migrated database, as {@code n} nodes would have: the same
     * SQLite file in {@code dir}, or one new database in the PostgreSQL test cluster (skipped as
     * {@link #open} is). The caller closes each.
     */
    public static List<SqlDatabase> nodes(SqlEngine engine, Path dir, int n) throws Exception {
        List<SqlDatabase> out = new ArrayList<>();
        switch (engine) {
            case SQLITE -> {
                for (int i = 0; i < n; i++) {
                    out.add(SqlDatabase.sqlite(dir.resolve("metadata.db"), 4));
                }
            }
            case POSTGRESQL -> {
                boolean ci = "true".equals(System.getenv("CI"));
                assumeTrue(ci || PostgresTestCluster.available(),
                        "PostgreSQL is not installed (apt-get install postgresql)");
                PostgresTestCluster pg = PostgresTestCluster.get();
                String url = pg.newDatabase();
                for (int i = 0; i < n; i++) {
                    out.add(SqlDatabase.postgresql(url, pg.user(), "", 4));
                }
            }
        }
        return out;
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
