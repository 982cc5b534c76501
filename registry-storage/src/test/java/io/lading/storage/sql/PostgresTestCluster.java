package io.lading.storage.sql;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from the machine's own binaries (Debian's {@code postgresql}
 * package: {@code /usr/lib/postgresql/<version>/bin}), in a temporary cluster on a free loopback port,
 * started once per JVM and removed at exit. PostgreSQL refuses to run as root, so as root the cluster
 * runs as the {@code postgres} user the package creates. Each {@link #newDatabase} is a fresh, empty
 * database. {@link #available()} is false when no binaries are installed; tests then skip, except under
 * {@code CI=true}, where {@code .ci/run} installs them and a missing server is a failure.
 */
public record PostgresTestCluster(Path bin, Path dataDir, int port) {

    private static final String USER = "lading";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    /**
     * The default collation of every test database: ICU's American English (PostgreSQL 15, the oldest
     * Lading supports, has ICU database collations; Debian builds it with ICU).
     */
    static final String COLLATION = "LOCALE_PROVIDER icu ICU_LOCALE 'en-US'";
    private static PostgresTestCluster instance;

    /** The installed server binaries' directory (the newest version), if any. */
    static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static boolean available() {
        return binaries().isPresent();
    }

    /** The cluster of this JVM, started on first use. */
    public static synchronized PostgresTestCluster get() throws IOException, InterruptedException {
        if (instance == null) {
            Path bin = binaries().orElseThrow(() -> new IllegalStateException(
                    "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)"));
            Path dir = Files.createTempDirectory("lading-pg");
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                run(List.of("chown", "postgres:postgres", dir.toString()));
            }
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            PostgresTestCluster cluster = new PostgresTestCluster(bin, dir, port);
            cluster.asOwner(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                    "-U", USER, "-A", "trust", "--no-sync", "-E", "UTF8"));
            cluster.asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                    "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o",
                    "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + " -c fsync=off", "start"));
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::destroy));
            instance = cluster;
        }
        return instance;
    }

    /**
     * A JDBC URL of a new, empty database in the cluster (user {@value #USER}, no password). Its default
     * collation is a natural-language one ({@link #COLLATION}), not the byte order of the cluster's C
     * locale: the order of names and tags must come from the schema's {@code COLLATE "C"}, and a query or
     * column that loses it sorts {@code "B"} after {@code "a"} and {@code "a_b"} before {@code "a-b"},
     * which the ordering tests catch.
     */
    public String newDatabase() throws SQLException {
        String name = "lading_test_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " TEMPLATE template0 " + COLLATION);
        }
        return url(name);
    }

    /** Drops a database {@link #newDatabase} made, even if clients are still connected to it. */
    public void dropDatabase(String url) throws SQLException {
        String prefix = url("");
        if (!url.startsWith(prefix) || !url.substring(prefix.length()).matches("lading_test_\\d+")) {
            throw new IllegalArgumentException("not a test database of this cluster: " + url);
        }
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + url.substring(prefix.length()) + " WITH (FORCE)");
        }
    }

    public String user() {
        return USER;
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void asOwner(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
    }

    private void destroy() {
        try {
            asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(), "-m",
                    "immediate", "stop"));
        } catch (IOException | InterruptedException e) {
            // the JVM is exiting: nothing more to do than try
        }
        try (Stream<Path> all = Files.walk(dataDir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left in /tmp
        }
    }
}
