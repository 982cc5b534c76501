package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.TestHttp;
import io.lading.storage.sql.PostgresTestCluster;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * Three Lading nodes on one PostgreSQL database and one storage root, raced against each other as a
 * load balancer would spread one fleet's requests: the same tag pushed from every node, pushes on two
 * nodes while a third collects garbage with no grace period, and a repository deleted on one node while
 * another pushes to it. Afterwards every acknowledged push pulls byte-identical from every node, and the
 * nodes agree on every tag within the staleness bound (1 s; polled up to 3 s here to allow for a loaded
 * machine). Each node is a separate {@link io.lading.http.Lading} with its own connection pool, caches,
 * locks and change-feed listener; they share nothing but the database and the directory, as processes on
 * several machines would. Runs on PostgreSQL only (the embedded engine is one process by design).
 */
@Tag("several-nodes")
class SeveralNodesTest {

    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NODES = 3;

    private static Path root;
    private static final List<LadingServer> nodes = new ArrayList<>();
    private static final List<TestHttp> http = new ArrayList<>();

    @BeforeAll
    static void startNodes() throws Exception {
        assumeTrue("true".equals(System.getenv("CI")) || PostgresTestCluster.available(),
                "PostgreSQL is not installed (apt-get install postgresql)");
        PostgresTestCluster cluster = PostgresTestCluster.get();
        String url = cluster.newDatabase();
        root = Files.createTempDirectory("lading-nodes");
        for (int i = 0; i < NODES; i++) {
            LadingServer node = EcrTestSupport.server("--storage.root=" + root, "--storage.metadataUrl=" + url,
                    "--storage.metadataUser=" + cluster.user(), "--lifecycle.gcGracePeriod=PT0S");
            node.beforeAll(null);
            nodes.add(node);
            http.add(new TestHttp(node));
        }
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (LadingServer node : nodes) {
            node.afterAll(null);
        }
        if (root != null) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** An image: its config, one layer and the manifest naming them. */
    private record Image(byte[] config, byte[] layer, byte[] manifest) {
        String digest() {
            return TestHttp.sha256(manifest);
        }
    }

    private static Image newImage(String label) {
        byte[] config = ("{\"label\":\"" + label + "\",\"n\":" + ThreadLocalRandom.current().nextLong() + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = new byte[4096 + ThreadLocalRandom.current().nextInt(4096)];
        ThreadLocalRandom.current().nextBytes(layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + TestHttp.sha256(config) + "\",\"size\":"
                + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + TestHttp.sha256(layer) + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        return new Image(config, layer, manifest);
    }

    private static int uploadBlob(TestHttp node, String repo, byte[] blob) {
        return node.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + TestHttp.sha256(blob), blob, null).statusCode();
    }

    /**
     * Pushes the image through {@code node} as a client does: blobs, then the manifest under
     * {@code reference}; a manifest refused because a blob was collected meanwhile
     * ({@code MANIFEST_BLOB_UNKNOWN}) is pushed again from its blobs, as clients retry.
     *
     * @return the manifest's final status
     */
    private static int push(TestHttp node, String repo, Image image, String reference) {
        int status = 0;
        for (int attempt = 0; attempt < 20; attempt++) {
            int config = uploadBlob(node, repo, image.config());
            int layer = uploadBlob(node, repo, image.layer());
            if (config == 404 || layer == 404) {
                return 404; // the repository was deleted under the push
            }
            HttpResponse<byte[]> put = node.send("PUT", "/v2/" + repo + "/manifests/" + reference, image.manifest(), OCI);
            status = put.statusCode();
            if (status != 400 || !new String(put.body(), StandardCharsets.UTF_8).contains("MANIFEST_BLOB_UNKNOWN")) {
                return status;
            }
        }
        return status;
    }

    /** Every node serves the image's manifest and blobs, byte-identical. */
    private static void assertPullsEverywhere(String repo, Image image) {
        for (int i = 0; i < NODES; i++) {
            TestHttp node = http.get(i);
            HttpResponse<byte[]> m = node.send("GET", "/v2/" + repo + "/manifests/" + image.digest(), null, null);
            assertEquals(200, m.statusCode(), "node " + i + ": manifest " + image.digest());
            assertArrayEquals(image.manifest(), m.body());
            for (byte[] blob : List.of(image.config(), image.layer())) {
                HttpResponse<byte[]> b = node.send("GET", "/v2/" + repo + "/blobs/" + TestHttp.sha256(blob), null, null);
                assertEquals(200, b.statusCode(), "node " + i + ": blob " + TestHttp.sha256(blob) + " of " + image.digest());
                assertArrayEquals(blob, b.body());
            }
        }
    }

    private static String tagOn(int node, String repo, String tag) {
        HttpResponse<byte[]> r = http.get(node).send("HEAD", "/v2/" + repo + "/manifests/" + tag, null, null);
        return r.statusCode() == 200 ? r.headers().firstValue("Docker-Content-Digest").orElse("?") : "status " + r.statusCode();
    }

    /** Polls until every node names the same digest for the tag (or the deadline passes); returns them. */
    private static List<String> agreedTag(String repo, String tag) throws InterruptedException {
        return agreed(() -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                seen.add(tagOn(i, repo, tag));
            }
            return seen;
        });
    }

    /** Polls {@code answers} (one per node) until they agree or 3 s pass; returns the last answers. */
    private static List<String> agreed(java.util.function.Supplier<List<String>> answers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (true) {
            List<String> seen = answers.get();
            if (Set.copyOf(seen).size() == 1 || System.nanoTime() > deadline) {
                return seen;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void theSameTagPushedFromEveryNodeEndsTheSameEverywhere() throws Exception {
        String repo = "nodes/tags";
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            Image image = newImage("tag-" + i);
            assertEquals(201, push(http.get(i), repo, image, image.digest()));
            images.add(image);
        }
        for (int i = 0; i < NODES; i++) {
            tagOn(i, repo, "latest"); // every node caches "not found"
        }
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        try {
            List<Future<?>> racers = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                int n = i;
                racers.add(pool.submit(() -> {
                    for (int round = 0; round < 15; round++) {
                        Image image = images.get((n + round) % NODES);
                        assertEquals(201, http.get(n).send("PUT", "/v2/" + repo + "/manifests/latest", image.manifest(), OCI)
                                .statusCode());
                    }
                    return null;
                }));
            }
            for (Future<?> f : racers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> seen = agreedTag(repo, "latest");
        assertEquals(1, Set.copyOf(seen).size(), "every node names one digest for the tag: " + seen);
        assertTrue(images.stream().anyMatch(i -> i.digest().equals(seen.get(0))), seen.get(0));

        // a tag moved on one node is served by the others: each node in turn moves it
        for (int i = 0; i < NODES; i++) {
            Image image = images.get(i);
            assertEquals(201, http.get(i).send("PUT", "/v2/" + repo + "/manifests/latest", image.manifest(), OCI).statusCode());
            List<String> now = agreedTag(repo, "latest");
            assertEquals(List.of(image.digest(), image.digest(), image.digest()), now, "moved on node " + i);
        }
        for (Image image : images) {
            assertPullsEverywhere(repo, image);
        }
    }

    @Test
    void pushesOnTwoNodesWhileAThirdCollectsGarbageAllPullWhole() throws Exception {
        String repo = "nodes/gc";
        Map<String, Image> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger deleted = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> pushers = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                TestHttp node = http.get(n);
                int id = n;
                pushers.add(pool.submit(() -> {
                    for (int k = 0; !stop.get(); k++) {
                        Image image = newImage("gc-" + id + "-" + k);
                        // an orphan too, so the collector always has something to delete
                        uploadBlob(node, repo, newImage("orphan").layer());
                        int status = push(node, repo, image, "n" + id + "-" + k);
                        if (status == 201) {
                            acknowledged.put(image.digest(), image);
                        }
                    }
                    return null;
                }));
            }
            Future<?> collector = pool.submit(() -> {
                while (!stop.get()) {
                    HttpResponse<byte[]> r = http.get(2).send("POST", "/_lading/gc", null, null);
                    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
                    JsonNode report = JSON.readTree(r.body());
                    deleted.addAndGet(report.get("blobsDeleted").asInt());
                    runs.incrementAndGet();
                }
                return null;
            });
            Thread.sleep(6_000);
            stop.set(true);
            for (Future<?> f : pushers) {
                f.get(60, TimeUnit.SECONDS);
            }
            collector.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertTrue(runs.get() >= 2 && deleted.get() > 0,
                "the collector ran (" + runs + " runs) and deleted blobs (" + deleted + ") while the pushes ran");
        assertTrue(acknowledged.size() >= 4, "pushes went through: " + acknowledged.size());
        // and nothing acknowledged lost a byte, even after more collections on another node
        http.get(1).send("POST", "/_lading/gc", null, null);
        http.get(1).send("POST", "/_lading/gc", null, null);
        for (Image image : acknowledged.values()) {
            assertPullsEverywhere(repo, image);
        }
    }

    @Test
    void aRepositoryDeletedOnOneNodeWhileAnotherPushesToItLeavesNoHalfImages() throws Exception {
        String repo = "nodes/deleted";
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger pushed = new AtomicInteger();
        AtomicInteger deletions = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> pusher = pool.submit(() -> {
                for (int k = 0; !stop.get(); k++) {
                    if (push(http.get(0), repo, newImage("del-" + k), "t" + k) == 201) {
                        pushed.incrementAndGet();
                    }
                }
                return null;
            });
            Future<?> deleter = pool.submit(() -> {
                try (EcrClient ecr = EcrTestSupport.client(nodes.get(1))) {
                    for (int k = 0; k < 5; k++) {
                        Thread.sleep(700);
                        try {
                            ecr.deleteRepository(b -> b.repositoryName(repo).force(true));
                            deletions.incrementAndGet();
                        } catch (RepositoryNotFoundException e) {
                            // between a deletion and the next push's implicit creation
                        }
                    }
                }
                return null;
            });
            deleter.get(60, TimeUnit.SECONDS);
            Thread.sleep(300);
            stop.set(true);
            pusher.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertTrue(deletions.get() >= 2 && pushed.get() >= 2, deletions + " deletions, " + pushed + " pushes");
        // whatever survived is whole on every node: each listed tag's manifest and blobs pull
        List<String> lists = agreed(() -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                HttpResponse<byte[]> l = http.get(i).send("GET", "/v2/" + repo + "/tags/list", null, null);
                seen.add(l.statusCode() + " " + new String(l.body(), StandardCharsets.UTF_8));
            }
            return seen;
        });
        assertEquals(1, Set.copyOf(lists).size(), "every node lists the same tags within the bound: " + lists);
        for (int i = 0; i < NODES; i++) {
            HttpResponse<byte[]> list = http.get(i).send("GET", "/v2/" + repo + "/tags/list", null, null);
            if (list.statusCode() == 404) {
                continue;
            }
            assertEquals(200, list.statusCode());
            for (JsonNode tag : JSON.readTree(list.body()).path("tags")) {
                HttpResponse<byte[]> m = http.get(i).send("GET", "/v2/" + repo + "/manifests/" + tag.asText(), null, null);
                assertEquals(200, m.statusCode(), "node " + i + " lists tag " + tag + " but cannot serve it");
                JsonNode manifest = JSON.readTree(m.body());
                List<String> blobs = new ArrayList<>(List.of(manifest.path("config").path("digest").asText()));
                manifest.path("layers").forEach(l -> blobs.add(l.path("digest").asText()));
                for (String blob : blobs) {
                    HttpResponse<byte[]> b = http.get(i).send("GET", "/v2/" + repo + "/blobs/" + blob, null, null);
                    assertEquals(200, b.statusCode(), "node " + i + ": " + blob + " of tag " + tag);
                    assertEquals(blob, TestHttp.sha256(b.body()));
                }
            }
        }
    }
}
