package io.lading.http.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lading.http.testing.LadingProcess;
import io.lading.http.testing.TestHttp;
import io.lading.storage.sql.PostgresTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Lading nodes as separate processes ({@link LadingProcess}) on one fresh PostgreSQL database and one
 * storage root, as a fleet behind a load balancer: they share nothing else. Node {@code i} keeps its index
 * for the fleet's life, killed or not; {@link #startAnother} adds one on the same database and root. Closing
 * stops every node still running, drops the database and removes the directory (root and logs). Skips the
 * test (an assumption) where PostgreSQL is not installed, except under {@code CI=true}.
 */
final class NodeFleet implements AutoCloseable {

    private final Path dir;
    private final Path root;
    private final String url;
    private final String user;
    private final List<String> flags;
    private final List<LadingProcess> nodes = new CopyOnWriteArrayList<>();
    private final List<TestHttp> http = new CopyOnWriteArrayList<>();

    private NodeFleet(Path dir, String url, String user, List<String> flags) {
        this.dir = dir;
        this.root = dir.resolve("root");
        this.url = url;
        this.user = user;
        this.flags = flags;
    }

    /** Starts {@code count} nodes at once with these extra configuration flags (every later node gets them too). */
    static NodeFleet start(int count, String... flags) throws Exception {
        assumeTrue("true".equals(System.getenv("CI")) || PostgresTestCluster.available(),
                "PostgreSQL is not installed (apt-get install postgresql)");
        PostgresTestCluster cluster = PostgresTestCluster.get();
        NodeFleet fleet = new NodeFleet(Files.createTempDirectory("lading-nodes"), cluster.newDatabase(), cluster.user(),
                List.of(flags));
        try {
            ExecutorService starters = Executors.newFixedThreadPool(count);
            try {
                List<Future<LadingProcess>> started = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    String name = "node" + i;
                    started.add(starters.submit(() -> fleet.launch(name)));
                }
                Throwable failed = null;
                for (Future<LadingProcess> f : started) {
                    try {
                        fleet.add(f.get());
                    } catch (ExecutionException e) {
                        failed = failed == null ? e.getCause() : failed; // the others are still added, to be closed
                    }
                }
                if (failed instanceof Exception e) {
                    throw e;
                } else if (failed != null) {
                    throw (Error) failed;
                }
            } finally {
                starters.shutdown();
            }
            return fleet;
        } catch (Exception | Error e) {
            fleet.close();
            throw e;
        }
    }

    private LadingProcess launch(String name) throws Exception {
        List<String> args = new ArrayList<>(List.of("--storage.metadataUrl=" + url, "--storage.metadataUser=" + user));
        args.addAll(flags);
        long start = System.nanoTime();
        LadingProcess node = LadingProcess.start(name, root, dir, args.toArray(String[]::new));
        System.out.println(node + " serves after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        return node;
    }

    private synchronized int add(LadingProcess node) {
        nodes.add(node);
        http.add(new TestHttp(node));
        return nodes.size() - 1;
    }

    /** Starts one more node on the same database and root; returns its index. */
    int startAnother() throws Exception {
        return add(launch("node" + nodes.size()));
    }

    int size() {
        return nodes.size();
    }

    LadingProcess node(int i) {
        return nodes.get(i);
    }

    TestHttp http(int i) {
        return http.get(i);
    }

    /** The indexes of the nodes still running. */
    List<Integer> alive() {
        List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).alive()) {
                alive.add(i);
            }
        }
        return alive;
    }

    /** The storage root every node serves. */
    Path root() {
        return root;
    }

    /** A connection to the fleet's database, as the nodes' user. */
    Connection connect() throws Exception {
        return DriverManager.getConnection(url, user, "");
    }

    @Override
    public void close() throws Exception {
        for (LadingProcess node : nodes) {
            node.close();
        }
        PostgresTestCluster.get().dropDatabase(url);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
