package io.lading.storage.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Lading's metadata database: a bounded JDBC connection pool (HikariCP) on SQLite or PostgreSQL, with
 * the schema brought up to date by Flyway when it opens ({@code db/migration/V*.sql}, one schema for
 * both engines, see {@link SqlEngine}).
 *
 * <p>Durability: SQLite runs in WAL mode with {@code synchronous=FULL}, so a committed transaction
 * survives kill -9 and power loss; foreign keys are enforced on every connection. The SQLite file holds secrets and is owner-only
 * ({@link #ownerOnly}). PostgreSQL keeps its
 * defaults ({@code fsync}, {@code synchronous_commit} on). Thread-safe; {@link #close} closes the pool.
 */
public final class SqlDatabase implements AutoCloseable {

    /** Where a PostgreSQL database is and who logs in; null on SQLite. */
    private record Server(String jdbcUrl, String user, String password) {
    }

    private final SqlEngine engine;
    private final HikariDataSource pool;
    private final Server server;

    private SqlDatabase(SqlEngine engine, HikariDataSource pool, Server server) {
        this.engine = engine;
        this.pool = pool;
        this.server = server;
    }

    /** Run on every pooled PostgreSQL connection: each statement planned for its parameters. */
    static final String CUSTOM_PLANS = "SET plan_cache_mode = force_custom_plan";

    /** SQLite's page cache per pooled connection, in KiB (native memory: the pool holds this many times it). */
    static final int SQLITE_CACHE_KIB = 512;

    /**
     * Opens (creating it if needed) the SQLite database {@code file} and migrates it.
     *
     * @param connections the pool size (readers run in parallel under WAL; writers take turns)
     */
    public static SqlDatabase sqlite(Path file, int connections) {
        ownerOnly(file);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        // a write transaction takes the write lock when it begins: a read upgraded to a write would fail with
        // SQLITE_BUSY, which the busy timeout does not retry
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setBusyTimeout((int) Duration.ofSeconds(30).toMillis());
        // each connection's page cache is native memory outside the heap: SQLite's default (about 2 MiB) times
        // the pool filled up on a large database as GC and listings read it (bench/scale.sh); the pages stay in
        // the operating system's file cache, so a smaller cache costs a system call per page, not a disk read
        config.setCacheSize(-SQLITE_CACHE_KIB);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setPoolName("lading-sqlite");
        hikari.setMaximumPoolSize(connections);
        return open(SqlEngine.SQLITE, hikari, null);
    }

    /**
     * Connects to PostgreSQL and migrates the database.
     *
     * @param jdbcUrl e.g. {@code jdbc:postgresql://db:5432/lading}
     * @param connections the pool size of this node
     */
    public static SqlDatabase postgresql(String jdbcUrl, String user, String password, int connections) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setPoolName("lading-postgresql");
        hikari.setMaximumPoolSize(connections);
        // the driver prepares a statement on the server from its fifth execution, and PostgreSQL may then plan
        // it once for any parameters: with repositories of very different sizes, that generic plan assumes an
        // average repository and reads a page's tags by scanning every tag of a large one (25 ms -> 450-900 ms
        // per DescribeImages page of a 100,000-image repository among 20,000 small ones, bench/README.md);
        // each execution is planned for its own parameters instead (well under a millisecond each)
        hikari.setConnectionInitSql(CUSTOM_PLANS);
        return open(SqlEngine.POSTGRESQL, hikari, new Server(jdbcUrl, user, password));
    }

    /**
     * Makes the SQLite file (which holds secrets) and its {@code -wal} and {@code -shm} files readable by
     * their owner only ({@code rw-------}): creates the database file so if it does not exist (SQLite gives
     * the files it creates next to it the main file's mode) and restricts the files of an older version
     * that exist with wider modes. Does nothing where the file system has no POSIX permissions.
     */
    static void ownerOnly(Path file) {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> rw = PosixFilePermissions.fromString("rw-------");
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(rw));
            } catch (FileAlreadyExistsException e) {
                // restricted below
            }
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path p = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(p) && !Files.getPosixFilePermissions(p).equals(rw)) {
                    Files.setPosixFilePermissions(p, rw);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the metadata database " + file + " owner-only", e);
        }
    }

    private static SqlDatabase open(SqlEngine engine, HikariConfig hikari, Server server) {
        hikari.setConnectionTimeout(Duration.ofSeconds(30).toMillis());
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .placeholders(engine.placeholders())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new SqlDatabase(engine, pool, server);
    }

    public SqlEngine engine() {
        return engine;
    }

    /** The pooled connections; callers close what they borrow. */
    public DataSource dataSource() {
        return pool;
    }

    /** A pooled connection (close it to give it back). */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * Opens a new PostgreSQL connection outside the pool, to the same database with the same credentials,
     * for a session that lives long (a {@code LISTEN}) or must not wait for a pooled connection (the change
     * feed's sender). It is named {@code applicationName} in {@code pg_stat_activity}, gives up connecting
     * after {@code connectTimeout} (whole seconds, at least one) and uses TCP keep-alive. The caller
     * closes it; it does not count against the pool size.
     *
     * @throws IllegalStateException on SQLite, which has one process and no sessions to share
     */
    public Connection openDedicated(String applicationName, Duration connectTimeout) throws SQLException {
        if (server == null) {
            throw new IllegalStateException("dedicated connections are for PostgreSQL, not " + engine);
        }
        Properties p = new Properties();
        if (server.user() != null) {
            p.setProperty("user", server.user());
        }
        if (server.password() != null) {
            p.setProperty("password", server.password());
        }
        p.setProperty("ApplicationName", Objects.requireNonNull(applicationName, "applicationName"));
        p.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(server.jdbcUrl(), p);
    }

    @Override
    public void close() {
        pool.close();
    }
}
