package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.testing.LadingProcess;
import io.lading.http.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lading nodes killed with {@code kill -9} ({@link LadingProcess#kill()}) on one PostgreSQL database and
 * one storage root while the others go on: a node killed amid pushes that go through every node loses no
 * acknowledged push, leaves nothing partial visible, does not stop garbage collection, and leaves nothing
 * that stops a fresh node on the same database and root (its temp directory, its open upload sessions);
 * and a node killed while it holds the garbage collector's lease keeps the others' runs dry until the lease
 * expires, when another node collects. Each test kills a node of its own; the two survivors are the
 * class's. Runs on PostgreSQL only, as {@link SeveralNodesTest}.
 */
@Tag("several-nodes")
class SeveralNodesCrashTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Integer> SURVIVORS = List.of(0, 1);

    private static NodeFleet fleet;

    @BeforeAll
    static void startNodes() throws Exception {
        fleet = NodeFleet.start(SURVIVORS.size(), "--lifecycle.gcGracePeriod=PT0S");
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void aNodeKilledAmidPushesLosesNothingAcknowledgedAndAFreshNodeServesEverything() throws Exception {
        String repo = "crash/pushes";
        int victim = fleet.startAnother();
        TestHttp victimHttp = fleet.http(victim);
        assertEquals(List.of(), orphanedTempSpaces(), "every node holds its temp directory");
        // upload sessions the victim leaves open: one chunk in, never finished by it
        byte[] unfinished = new byte[3 * 1024];
        ThreadLocalRandom.current().nextBytes(unfinished);
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> post = victimHttp.send("POST", "/v2/" + repo + "/blobs/uploads/", null, null);
            assertEquals(202, post.statusCode());
            String session = TestHttp.pathOf(post.headers().firstValue("Location").orElseThrow());
            HttpResponse<byte[]> patch = victimHttp.send("PATCH", session, java.util.Arrays.copyOf(unfinished, 1024),
                    "application/octet-stream", "Content-Range", "0-1023");
            assertEquals(202, patch.statusCode());
            sessions.add(TestHttp.pathOf(patch.headers().firstValue("Location").orElseThrow()));
        }

        Map<String, TestImage> acknowledged = KillAmidPushes.run(fleet, victim, repo,
                (id, k) -> TestImage.random("crash-" + id + "-" + k));
        assertFalse(orphanedTempSpaces().isEmpty(), "the killed node left its temp directory behind");

        // nothing acknowledged is lost and no tag names a partial image, before and after a collection
        assertSurvivorsServe(repo, acknowledged.values());
        for (int run = 0; run < 2; run++) { // grace 0: the first run marks, the second deletes
            JsonNode report = gc(SURVIVORS.get(0));
            assertFalse(report.get("dryRun").asBoolean(), "the victim held no lease: " + report);
        }
        assertSurvivorsServe(repo, acknowledged.values());

        // a fresh node on the same database and root: it clears the dead node's temp directory and serves it all
        int fresh = fleet.startAnother();
        assertEquals(List.of(), orphanedTempSpaces(), "the fresh node removed what the killed one left in tmp/");
        TestHttp freshHttp = fleet.http(fresh);
        for (TestImage image : acknowledged.values()) {
            image.assertPulls("fresh node", freshHttp, repo);
        }
        TestImage.assertTagsWhole("fresh node", freshHttp, repo);
        // the killed node's open sessions are still there: one is finished on the fresh node, one cancelled
        HttpResponse<byte[]> status = freshHttp.send("GET", sessions.get(0), null, null);
        assertEquals(204, status.statusCode());
        assertEquals("0-1023", status.headers().firstValue("Range").orElseThrow());
        HttpResponse<byte[]> rest = freshHttp.send("PATCH", sessions.get(0),
                java.util.Arrays.copyOfRange(unfinished, 1024, unfinished.length), "application/octet-stream",
                "Content-Range", "1024-" + (unfinished.length - 1));
        assertEquals(202, rest.statusCode(), new String(rest.body(), StandardCharsets.UTF_8));
        String location = TestHttp.pathOf(rest.headers().firstValue("Location").orElseThrow());
        String digest = TestHttp.sha256(unfinished);
        HttpResponse<byte[]> put = freshHttp.send("PUT", location + (location.contains("?") ? "&" : "?") + "digest="
                + digest, null, null);
        assertEquals(201, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        assertEquals(204, freshHttp.send("DELETE", sessions.get(1), null, null).statusCode());
        for (int n : List.of(SURVIVORS.get(1), fresh)) {
            HttpResponse<byte[]> blob = fleet.http(n).send("GET", "/v2/" + repo + "/blobs/" + digest, null, null);
            assertEquals(200, blob.statusCode(), "node " + n);
            assertEquals(digest, TestHttp.sha256(blob.body()));
        }
        assertFalse(gc(fresh).get("dryRun").asBoolean(), "the fresh node collects");
        assertSurvivorsServe(repo, acknowledged.values());
    }

    @Test
    void aNodeKilledHoldingTheGcLeaseKeepsOthersDryUntilTheLeaseExpires() throws Exception {
        String repo = "crash/lease";
        int victim = fleet.startAnother();
        LadingProcess victimNode = fleet.node(victim);
        byte[] orphan = TestImage.random("orphan").layer();
        String digest = TestHttp.sha256(orphan);
        assertEquals(201, TestImage.uploadBlob(fleet.http(victim), repo, orphan));
        // never linked by a manifest, and with grace 0 marked by the first run: the next run deletes it
        assertFalse(gc(victim).get("dryRun").asBoolean());

        CompletableFuture<HttpResponse<byte[]>> stuck;
        try (Connection c = fleet.connect()) {
            c.setAutoCommit(false);
            // hold the blob's row: the victim's next run takes the lease, reaches this blob and waits for the row
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM blobs WHERE digest = ? FOR UPDATE")) {
                s.setString(1, digest);
                try (ResultSet r = s.executeQuery()) {
                    assertTrue(r.next(), "the orphan has its row");
                }
            }
            stuck = CompletableFuture.supplyAsync(() -> fleet.http(victim).send("POST", "/_lading/gc", null, null));
            String holder = awaitLeaseHolder();
            assertTrue(holder.contains("/" + victimNode.pid() + "/"), "the victim holds the lease: " + holder);
            victimNode.kill();
            c.rollback();
        }
        assertTrue(stuck.handle((r, e) -> e != null).get(10, TimeUnit.SECONDS), "the victim's run never answered");

        // the dead node's lease (2 min) is unexpired: a survivor's run is dry and deletes nothing
        JsonNode dry = gc(SURVIVORS.get(0));
        assertTrue(dry.get("dryRun").asBoolean(), dry.toString());
        assertEquals(200, fleet.http(SURVIVORS.get(1)).send("HEAD", "/v2/" + repo + "/blobs/" + digest, null, null)
                .statusCode());
        // the lease's two minutes pass (its expiry is moved to now rather than waited for)
        try (Connection c = fleet.connect();
                PreparedStatement s = c.prepareStatement("UPDATE leases SET expires_at = ? WHERE name = 'gc' AND holder = ?")) {
            s.setLong(1, System.currentTimeMillis());
            s.setString(2, awaitLeaseHolder());
            assertEquals(1, s.executeUpdate());
        }
        JsonNode real = gc(SURVIVORS.get(0));
        assertFalse(real.get("dryRun").asBoolean(), real.toString());
        assertTrue(real.get("blobsDeleted").asInt() >= 1, real.toString());
        for (int n : SURVIVORS) {
            TestHttp node = fleet.http(n);
            // within the staleness bound (1 s; 3 s allowed on a loaded machine) for the node that did not collect
            Poll.await(() -> node.send("HEAD", "/v2/" + repo + "/blobs/" + digest, null, null).statusCode() == 404,
                    "node " + n + " to stop serving the collected orphan", 3);
        }
    }

    /** The holder of an unexpired {@code gc} lease, waited for up to 10 s. */
    private static String awaitLeaseHolder() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection c = fleet.connect();
                PreparedStatement s = c.prepareStatement("SELECT holder FROM leases WHERE name = 'gc' AND expires_at > ?")) {
            while (true) {
                s.setLong(1, System.currentTimeMillis());
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return r.getString(1);
                    }
                }
                assertTrue(System.nanoTime() < deadline, "nobody took the gc lease");
                Thread.sleep(20);
            }
        }
    }

    /** Runs the collector on node {@code n}; its report. */
    private static JsonNode gc(int n) throws IOException {
        HttpResponse<byte[]> r = fleet.http(n).send("POST", "/_lading/gc", null, null);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }

    /** Both survivors serve every image whole, and every tag they list names a whole image. */
    private static void assertSurvivorsServe(String repo, Iterable<TestImage> images) throws IOException {
        for (int n : SURVIVORS) {
            for (TestImage image : images) {
                image.assertPulls("node " + n, fleet.http(n), repo);
            }
            TestImage.assertTagsWhole("node " + n, fleet.http(n), repo);
        }
    }

    /**
     * The entries of {@code tmp/} that no live process owns: a lock file nobody holds, or a temp directory
     * without its lock file. Each node holds a lock on every temp directory it claimed while it runs.
     */
    private static List<Path> orphanedTempSpaces() throws IOException {
        Path tmp = fleet.root().resolve("tmp");
        List<Path> orphans = new ArrayList<>();
        try (Stream<Path> entries = Files.list(tmp)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (!name.endsWith(".lock")) {
                    if (!Files.exists(entry.resolveSibling(name + ".lock"))) {
                        orphans.add(entry);
                    }
                    continue;
                }
                try (FileChannel channel = FileChannel.open(entry, StandardOpenOption.WRITE)) {
                    FileLock lock = channel.tryLock();
                    if (lock != null) {
                        lock.release();
                        orphans.add(entry);
                    }
                }
            }
        }
        return orphans;
    }
}
