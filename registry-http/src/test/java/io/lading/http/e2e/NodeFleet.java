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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Lading nodes as separate processes ({@link LadingProcess}) on one fresh PostgreSQL database and one
 * storage root ({@link Roots#SHARED}) or a root each ({@link Roots#OWN}, for blobs on S3), as a fleet behind
 * a load balancer: they share nothing else (but the S3 bucket their flags may name). Node {@code i} keeps its
 * index for the fleet's life, killed or not; {@link #startAnother} adds one on the same database (and root).
 * Closing stops every node still running, drops the database and removes the directory (roots and logs).
 * Skips the test (an assumption) where PostgreSQL is not installed, except under {@code CI=true}.
 */
final class NodeFleet implements AutoCloseable {

    /** Where the nodes keep their storage roots. */
    enum Roots {
        /** One root every node serves, as on a shared filesystem. */
        SHARED,
        /** A root of its own for each node ({@code root-<i>}): nothing on disk is shared between nodes. */
        OWN
    }

    private final Path dir;
    private final Roots roots;
    private final String url;
    private final String user;
    private final List<String> flags;
    private final IntFunction<List<String>> nodeFlags;
    private final List<LadingProcess> nodes = new CopyOnWriteArrayList<>();
    private final List<TestHttp> http = new CopyOnWriteArrayList<>();
    /** The nodes started on another node's root ({@link #startSharingRootOf}), with that root. */
    private final Map<Integer, Path> sharedRoots = new ConcurrentHashMap<>();

    private NodeFleet(Path dir, Roots roots, String url, String user, List<String> flags,
            IntFunction<List<String>> nodeFlags) {
        this.dir = dir;
        this.roots = roots;
        this.url = url;
        this.user = user;
        this.flags = flags;
        this.nodeFlags = nodeFlags;
    }

    /**
     * Starts {@code count} nodes at once on one root with these extra configuration flags (every later node
     * gets them too).
     */
    static NodeFleet start(int count, String... flags) throws Exception {
        return start(count, Roots.SHARED, i -> List.of(), flags);
    }

    /**
     * Starts {@code count} nodes at once, their roots as {@code roots} says; node {@code i} gets {@code flags},
     * then {@code nodeFlags.apply(i)} (later nodes too).
     */
    static NodeFleet start(int count, Roots roots, IntFunction<List<String>> nodeFlags, String... flags)
            throws Exception {
        assumeTrue("true".equals(System.getenv("CI")) || PostgresTestCluster.available(),
                "PostgreSQL is not installed (apt-get install postgresql)");
        PostgresTestCluster cluster = PostgresTestCluster.get();
        NodeFleet fleet = new NodeFleet(Files.createTempDirectory("lading-nodes"), roots, cluster.newDatabase(),
                cluster.user(), List.of(flags), nodeFlags);
        try {
            ExecutorService starters = Executors.newFixedThreadPool(count);
            try {
                List<Future<LadingProcess>> started = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    int index = i;
                    started.add(starters.submit(() -> fleet.launch(index)));
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

    private LadingProcess launch(int index) throws Exception {
        List<String> args = new ArrayList<>(List.of("--storage.metadataUrl=" + url, "--storage.metadataUser=" + user));
        args.addAll(flags);
        args.addAll(nodeFlags.apply(index));
        String name = "node" + index;
        long start = System.nanoTime();
        LadingProcess node = LadingProcess.start(name, rootOf(index), dir, args.toArray(String[]::new));
        System.out.println(node + " serves after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        return node;
    }

    private synchronized int add(LadingProcess node) {
        nodes.add(node);
        http.add(new TestHttp(node));
        return nodes.size() - 1;
    }

    /** Starts one more node on the same database (and root, if shared); returns its index. */
    synchronized int startAnother() throws Exception {
        return add(launch(nodes.size()));
    }

    /**
     * Starts one more node on the same database serving node {@code other}'s root, as if the two shared a
     * filesystem; returns its index.
     */
    synchronized int startSharingRootOf(int other) throws Exception {
        int index = nodes.size();
        sharedRoots.put(index, rootOf(other));
        return add(launch(index));
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

    /** The storage root every node serves ({@link Roots#SHARED}). */
    Path root() {
        if (roots != Roots.SHARED) {
            throw new IllegalStateException("every node of this fleet has a root of its own: root(node)");
        }
        return rootOf(0);
    }

    /** The storage root node {@code i} serves. */
    Path root(int node) {
        return rootOf(node);
    }

    private Path rootOf(int node) {
        return sharedRoots.getOrDefault(node, dir.resolve(roots == Roots.SHARED ? "root" : "root-" + node));
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
