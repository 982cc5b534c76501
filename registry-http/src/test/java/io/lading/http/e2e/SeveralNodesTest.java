package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * machine). A chunked upload whose requests alternate between the nodes pulls whole from each. Each
 * node is its own process ({@link NodeFleet}) with its own connection pool, caches, locks and change-feed
 * listener; they share nothing but the database and the directory, as processes on several machines
 * would. Runs on PostgreSQL only (the embedded engine is one process by design). Crashes are
 * {@link SeveralNodesCrashTest}'s.
 */
@Tag("several-nodes")
class SeveralNodesTest {

    private static final int NODES = 3;

    private static NodeFleet fleet;

    @BeforeAll
    static void startNodes() throws Exception {
        fleet = NodeFleet.start(NODES, "--lifecycle.gcGracePeriod=PT0S");
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static TestHttp http(int node) {
        return fleet.http(node);
    }

    /** Every node serves the image's manifest and blobs, byte-identical. */
    private static void assertPullsEverywhere(String repo, TestImage image) {
        for (int i = 0; i < NODES; i++) {
            image.assertPulls("node " + i, http(i), repo);
        }
    }

    private static String tagOn(int node, String repo, String tag) {
        HttpResponse<byte[]> r = http(node).send("HEAD", "/v2/" + repo + "/manifests/" + tag, null, null);
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
        List<TestImage> images = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            TestImage image = TestImage.random("tag-" + i);
            assertEquals(201, image.push(http(i), repo, image.digest()));
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
                        TestImage image = images.get((n + round) % NODES);
                        assertEquals(201, http(n).send("PUT", "/v2/" + repo + "/manifests/latest", image.manifest(), TestImage.OCI)
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
            TestImage image = images.get(i);
            assertEquals(201, http(i).send("PUT", "/v2/" + repo + "/manifests/latest", image.manifest(), TestImage.OCI).statusCode());
            List<String> now = agreedTag(repo, "latest");
            assertEquals(List.of(image.digest(), image.digest(), image.digest()), now, "moved on node " + i);
        }
        for (TestImage image : images) {
            assertPullsEverywhere(repo, image);
        }
    }

    @Test
    void pushesOnTwoNodesWhileAThirdCollectsGarbageAllPullWhole() throws Exception {
        String repo = "nodes/gc";
        GcRace race = GcRace.run(List.of(http(0), http(1)), http(2), repo);
        assertTrue(race.runs() >= 2 && race.deleted() > 0,
                "the collector ran (" + race.runs() + " runs) and deleted blobs (" + race.deleted() + ") while the pushes ran");
        assertTrue(race.acknowledged().size() >= 4, "pushes went through: " + race.acknowledged().size());
        // and nothing acknowledged lost a byte, even after more collections on another node
        http(1).send("POST", "/_lading/gc", null, null);
        http(1).send("POST", "/_lading/gc", null, null);
        for (TestImage image : race.acknowledged().values()) {
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
                    if (TestImage.random("del-" + k).push(http(0), repo, "t" + k) == 201) {
                        pushed.incrementAndGet();
                    }
                }
                return null;
            });
            Future<?> deleter = pool.submit(() -> {
                try (EcrClient ecr = EcrTestSupport.client(fleet.node(1))) {
                    for (int k = 0; k < 5; k++) {
                        int before = pushed.get();
                        Poll.until(() -> pushed.get() >= before + 2, 20); // pushes land between deletions
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
            int afterLast = pushed.get();
            Poll.until(() -> pushed.get() > afterLast, 20); // and one after the last deletion
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
                HttpResponse<byte[]> l = http(i).send("GET", "/v2/" + repo + "/tags/list", null, null);
                seen.add(l.statusCode() + " " + new String(l.body(), StandardCharsets.UTF_8));
            }
            return seen;
        });
        assertEquals(1, Set.copyOf(lists).size(), "every node lists the same tags within the bound: " + lists);
        for (int i = 0; i < NODES; i++) {
            TestImage.assertTagsWhole("node " + i, http(i), repo);
        }
    }

    @Test
    void aChunkedUploadWhoseRequestsAlternateBetweenNodesPullsWholeFromEach() throws Exception {
        String repo = "nodes/chunked";
        byte[] blob = new byte[5 * 64 * 1024 + 123];
        ThreadLocalRandom.current().nextBytes(blob);
        String digest = TestHttp.sha256(blob);
        TestImage.uploadInChunksAcross(List.of(http(0), http(1), http(2)), repo, blob, 64 * 1024);
        for (int i = 0; i < NODES; i++) {
            HttpResponse<byte[]> get = http(i).send("GET", "/v2/" + repo + "/blobs/" + digest, null, null);
            assertEquals(200, get.statusCode(), "node " + i);
            assertArrayEquals(blob, get.body(), "node " + i);
        }
    }
}
