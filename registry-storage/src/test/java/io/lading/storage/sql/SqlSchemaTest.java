package io.lading.storage.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The one schema on both engines, on real servers (SQLite in a temp file; PostgreSQL in a temporary
 * cluster from the machine's binaries): it migrates, migrating again changes nothing, and the database
 * itself refuses what would corrupt the registry: a second repository of one name, a tag naming a
 * manifest that does not exist, deleting the row of a blob that a repository links or a manifest
 * references. Deleting a repository takes its manifests, tags and links with it.
 */
class SqlSchemaTest {

    /** The versioned migrations under db/migration: V1__metadata.sql, V2__scale_indexes.sql. */
    private static final int MIGRATIONS = 4;

    @TempDir
    Path dir;

    private SqlDatabase open(SqlEngine engine) throws Exception {
        return SqlTestDatabases.open(engine, dir);
    }

    private static long insertRepository(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO repositories (account, name, created_at,"
                + " tag_mutability, encryption_type) VALUES ('123456789012', ?, 1, 'MUTABLE', 'AES256')",
                new String[] {"id"})) {
            s.setString(1, name);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void theDatabaseRefusesWhatWouldCorruptTheRegistry(SqlEngine engine) throws Exception {
        try (SqlDatabase db = open(engine); Connection c = db.connection()) {
            assertEquals(engine, db.engine());
            long repo = insertRepository(c, "team/app");
            assertThrows(SQLException.class, () -> insertRepository(c, "team/app"));
            exec(c, "INSERT INTO blobs (digest, size, created_at, adopted_at) VALUES ('sha256:m', 10, 1, 1)");
            exec(c, "INSERT INTO blobs (digest, size, created_at, adopted_at) VALUES ('sha256:l', 20, 1, 1)");
            exec(c, "INSERT INTO repository_blobs (repository_id, digest, linked_at) VALUES (" + repo + ", 'sha256:l', 1)");
            exec(c, "INSERT INTO manifests (repository_id, digest, content_digest, media_type, size, pushed_at) VALUES ("
                    + repo + ", 'sha256:m', 'sha256:m', 'application/vnd.oci.image.manifest.v1+json', 10, 1)");
            exec(c, "INSERT INTO manifest_blobs (repository_id, manifest_digest, blob_digest) VALUES (" + repo
                    + ", 'sha256:m', 'sha256:l')");
            exec(c, "INSERT INTO tags (repository_id, name, digest, updated_at) VALUES (" + repo + ", 'v1', 'sha256:m', 1)");
            assertThrows(SQLException.class, () -> exec(c, "INSERT INTO tags (repository_id, name, digest, updated_at)"
                    + " VALUES (" + repo + ", 'v2', 'sha256:nothing', 1)"));
            assertThrows(SQLException.class, () -> exec(c, "DELETE FROM blobs WHERE digest = 'sha256:l'"));
            assertThrows(SQLException.class, () -> exec(c, "DELETE FROM blobs WHERE digest = 'sha256:m'"));

            exec(c, "DELETE FROM repositories WHERE id = " + repo);
            assertEquals(0, count(c, "manifests"));
            assertEquals(0, count(c, "tags"));
            assertEquals(0, count(c, "manifest_blobs"));
            assertEquals(0, count(c, "repository_blobs"));
            exec(c, "DELETE FROM blobs"); // nothing refers to them any more
            assertEquals(0, count(c, "blobs"));
        }
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void reopeningMigratesNothingAndKeepsTheData(SqlEngine engine) throws Exception {
        if (engine == SqlEngine.POSTGRESQL) {
            try (SqlDatabase db = open(engine); Connection c = db.connection()) {
                assertEquals(MIGRATIONS, count(c, "flyway_schema_history"));
            }
            return; // a new database each time: reopening is the SQLite case
        }
        try (SqlDatabase db = open(engine); Connection c = db.connection()) {
            assertEquals(MIGRATIONS, count(c, "flyway_schema_history"));
            insertRepository(c, "kept");
        }
        try (SqlDatabase db = open(engine); Connection c = db.connection()) {
            assertEquals(1, count(c, "repositories"));
            assertEquals(MIGRATIONS, count(c, "flyway_schema_history"), "reopening applies nothing");
        }
    }

    /** PostgreSQL refreshes the listings' planner statistics after 1% of a table changed (V4); SQLite needs none. */
    @org.junit.jupiter.api.Test
    void postgresqlAnalyzesTheListedTablesEarly() throws Exception {
        try (SqlDatabase db = open(SqlEngine.POSTGRESQL); Connection c = db.connection();
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SELECT relname, array_to_string(reloptions, ',') FROM pg_class"
                        + " WHERE relname IN ('manifests', 'tags', 'manifest_blobs', 'manifest_children') ORDER BY relname")) {
            int tables = 0;
            while (r.next()) {
                tables++;
                assertEquals("autovacuum_analyze_scale_factor=0.01,autovacuum_analyze_threshold=1000", r.getString(2),
                        r.getString(1));
            }
            assertEquals(4, tables);
        }
        try (SqlDatabase db = open(SqlEngine.POSTGRESQL); Connection c = db.connection();
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SELECT attstattarget FROM pg_attribute WHERE attrelid = 'tags'::regclass"
                        + " AND attname = 'repository_id'")) {
            assertTrue(r.next());
            assertEquals(1000, r.getInt(1));
        }
    }

    /** Every pooled SQLite connection has the small page cache that keeps the pool's native memory bounded. */
    @org.junit.jupiter.api.Test
    void sqliteConnectionsHaveTheBoundedPageCache() throws Exception {
        try (SqlDatabase db = open(SqlEngine.SQLITE); Connection c = db.connection();
                java.sql.Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery("PRAGMA cache_size")) {
            assertTrue(r.next());
            assertEquals(-SqlDatabase.SQLITE_CACHE_KIB, r.getInt(1), "negative: KiB");
        }
    }

    /** Pooled PostgreSQL connections plan each statement for its parameters, never one generic plan for all. */
    @org.junit.jupiter.api.Test
    void postgresqlConnectionsPlanEachExecution() throws Exception {
        try (SqlDatabase db = open(SqlEngine.POSTGRESQL); Connection c = db.connection();
                java.sql.Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery("SHOW plan_cache_mode")) {
            assertTrue(r.next());
            assertEquals("force_custom_plan", r.getString(1));
        }
    }
}
