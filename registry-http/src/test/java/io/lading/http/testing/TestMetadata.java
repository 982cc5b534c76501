package io.lading.http.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lading.storage.sql.PostgresTestCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metadata engine the server suites run on, chosen by the system property {@value #PROPERTY}:
 * {@code sqlite} (the default: each server's embedded {@code metadata.db} under its data directory) or
 * {@code postgresql} (each server gets a fresh database of this JVM's {@link PostgresTestCluster}, a real
 * server from Debian's binaries). Maven's surefire runs registry-http's suite once with each (see
 * registry-http/pom.xml). Without PostgreSQL installed the PostgreSQL run skips every server test, except
 * under {@code CI=true}, where that is a failure.
 */
public final class TestMetadata {

    /** The system property naming the engine. */
    public static final String PROPERTY = "lading.test.metadata";

    /** The PostgreSQL database of each data directory in use (released when its test is done). */
    private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();

    private TestMetadata() {
    }

    /** Whether this run's servers keep their metadata in PostgreSQL. */
    public static boolean postgresql() {
        String engine = System.getProperty(PROPERTY, "sqlite").strip().toLowerCase(Locale.ROOT);
        return switch (engine) {
            case "sqlite", "" -> false;
            case "postgresql" -> true;
            default -> throw new IllegalArgumentException(PROPERTY + " must be sqlite or postgresql, not " + engine);
        };
    }

    /**
     * The configuration flags that give the server(s) of {@code dataDir} their metadata database: on
     * PostgreSQL the database of that directory, created fresh in the cluster at its first use and kept
     * for every later start over the directory (a restart finds what it wrote); on SQLite none, the server
     * makes its own file under the directory.
     */
    public static synchronized List<String> flags(Path dataDir) throws Exception {
        if (!postgresql()) {
            return List.of();
        }
        assumeTrue("true".equals(System.getenv("CI")) || PostgresTestCluster.available(),
                "PostgreSQL is not installed (apt-get install postgresql)");
        PostgresTestCluster cluster = PostgresTestCluster.get();
        Path key = dataDir.toAbsolutePath().normalize();
        String url = DATABASES.get(key);
        if (url == null) {
            url = cluster.newDatabase();
            DATABASES.put(key, url);
        }
        return List.of("--storage.metadataUrl=" + url, "--storage.metadataUser=" + cluster.user());
    }

    /**
     * Empties the metadata database of {@code dataDir}, whose servers are stopped: on PostgreSQL every
     * table goes (with Flyway's history), on SQLite the file (with its WAL). The next start finds no SQL
     * metadata and migrates a new schema.
     */
    public static void clear(Path dataDir) throws Exception {
        String url = DATABASES.get(dataDir.toAbsolutePath().normalize());
        if (url == null) {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(dataDir.resolve("metadata.db" + suffix));
            }
            return;
        }
        try (Connection c = connect(dataDir); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
    }

    /** A connection to the metadata database of {@code dataDir} (its SQLite file, or its PostgreSQL database). */
    public static Connection connect(Path dataDir) throws Exception {
        String url = DATABASES.get(dataDir.toAbsolutePath().normalize());
        return url == null ? DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("metadata.db"))
                : DriverManager.getConnection(url, PostgresTestCluster.get().user(), "");
    }

    /** Drops the PostgreSQL database of {@code dataDir}, if it has one, once its servers are done with it. */
    public static void release(Path dataDir) throws Exception {
        String url = DATABASES.remove(dataDir.toAbsolutePath().normalize());
        if (url != null) {
            PostgresTestCluster.get().dropDatabase(url);
        }
    }
}
