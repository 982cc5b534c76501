package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.core.spi.BlobInfo;
import io.lading.http.e2e.NodeFleet.Roots;
import io.lading.http.testing.Client;
import io.lading.http.testing.RequiresClient;
import io.lading.http.testing.TestHttp;
import io.lading.storage.s3.S3MockServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Lading processes on one PostgreSQL database with their blobs on one S3 bucket (Adobe S3Mock in this
 * JVM), each with a storage root of its own: nothing else is shared, as nodes on machines of their own would
 * run (issue 11), but for one node that shares node 0's root for a chunked upload (upload sessions still
 * live in the root). Odd nodes redirect blob downloads to pre-signed S3 URLs, even ones stream them
 * ({@code storage.s3.downloads}), so every pull below goes both ways. An image skopeo pushes through one
 * node pulls byte-identical through the others; a chunked upload whose requests alternate between nodes
 * pulls whole from each; a node killed with {@code kill -9} amid pushes loses no acknowledged push and
 * leaves nothing partial visible; and garbage collection on one node while two others push keeps every
 * acknowledged push and deletes an unreferenced blob from S3. Runs on PostgreSQL only, as
 * {@link SeveralNodesTest}; the skopeo test needs skopeo.
 */
@Tag("several-nodes")
class SeveralNodesOnS3Test {

    private static final int NODES = 3;
    private static final Duration SKOPEO_TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    static final S3MockServer S3 = new S3MockServer();

    private static FleetBucket bucket;
    private static NodeFleet fleet;

    @BeforeAll
    static void startNodes() throws Exception {
        bucket = new FleetBucket(S3);
        fleet = NodeFleet.start(NODES, Roots.OWN, n -> bucket.flags(downloads(n)), "--lifecycle.gcGracePeriod=PT0S");
    }

    @AfterAll
    static void stopNodes() throws Exception {
        try {
            if (fleet != null) {
                fleet.close();
            }
        } finally {
            if (bucket != null) {
                bucket.close();
            }
        }
    }

    /** How node {@code n} serves blob downloads: odd nodes redirect to S3, even ones proxy. */
    private static String downloads(int n) {
        return n % 2 == 1 ? "redirect" : "proxy";
    }

    private static TestHttp http(int node) {
        return fleet.http(node);
    }

    /** The digest node {@code n} names for the tag, or its status. */
    private static String tagOn(int n, String repo, String tag) {
        HttpResponse<byte[]> r = http(n).send("HEAD", "/v2/" + repo + "/manifests/" + tag, null, null);
        return r.statusCode() == 200 ? r.headers().firstValue("Docker-Content-Digest").orElse("?") : "status " + r.statusCode();
    }

    @Test
    @RequiresClient({Client.SKOPEO, Client.JQ, Client.OPENSSL})
    void anImageSkopeoPushesThroughOneNodePullsByteIdenticalThroughTheOthers(@TempDir Path work) throws Exception {
        Path images = work.resolve("images");
        Files.createDirectories(work.resolve("pulled"));
        Path auth = work.resolve("auth.json");
        E2e.writeAuthFile(auth, IntStream.range(0, NODES).mapToObj(n -> fleet.node(n).hostPort()).toArray(String[]::new));
        // no stray credentials from the machine's login files
        Map<String, String> env = Map.of("REGISTRY_AUTH_FILE", auth.toString(), "SCRATCH", work.toString());
        E2e.run(SKOPEO_TIMEOUT, env, List.of(E2e.tools().resolve("make-images.sh").toString(), "-o", images.toString(),
                "tiny", "multiarch")).assertOk();
        for (String name : List.of("tiny", "multiarch")) {
            Path layout = images.resolve(name);
            String digest = E2e.layoutDigest(layout, "latest");
            String repo = "s3nodes/" + name;
            // --preserve-digests: no layer substitution from containers/image's blob-info cache
            skopeo(env, "copy", "--all", "--preserve-digests", "--dest-tls-verify=false", "oci:" + layout + ":latest",
                    remote(0, repo)).assertOk();
            for (int n = 1; n < NODES; n++) {
                int node = n;
                // within the staleness bound (1 s; 3 s allowed on a loaded machine)
                Poll.await(() -> digest.equals(tagOn(node, repo, "latest")), "node " + n + " to name " + digest, 3);
                Path out = work.resolve("pulled").resolve(name + "-" + n);
                skopeo(env, "copy", "--all", "--src-tls-verify=false", remote(n, repo), "oci:" + out + ":latest")
                        .assertOk();
                assertEquals(digest, E2e.layoutDigest(out, "latest"), "node " + n + " names the pushed manifest");
                E2e.assertSameBlobs(layout, out, digest);
            }
            for (String blob : E2e.reachableBlobs(layout, digest)) {
                assertTrue(bucket.holds(blob), "the bucket holds " + blob + " of " + name);
            }
        }
        // the pulls went both ways: node 1 redirects a layer's download to S3, node 2 streams it
        String layer = E2e.readJson(Files.readAllBytes(E2e.layoutBlob(images.resolve("tiny"),
                E2e.layoutDigest(images.resolve("tiny"), "latest")))).path("layers").get(0).path("digest").asText();
        HttpResponse<byte[]> redirected = http(1).send("GET", "/v2/s3nodes/tiny/blobs/" + layer, null, null);
        assertEquals(307, redirected.statusCode());
        assertTrue(redirected.headers().firstValue("Location").orElseThrow().startsWith(S3.url() + "/"),
                redirected.headers().map().toString());
        HttpResponse<byte[]> proxied = http(2).send("GET", "/v2/s3nodes/tiny/blobs/" + layer, null, null);
        assertEquals(200, proxied.statusCode());
        assertEquals(layer, TestHttp.sha256(proxied.body()));
        for (int n = 0; n < NODES; n++) {
            assertEquals(List.of(), filesUnder(fleet.root(n).resolve("blobs")), "node " + n + " keeps no blob of its own");
        }
    }

    @Test
    void aChunkedUploadWhoseRequestsAlternateBetweenNodesPullsWholeFromEach() throws Exception {
        // Upload sessions still live under a node's storage.root (uploads/<uuid>/) until they are committed,
        // so nodes with roots of their own cannot continue each other's sessions (the second node answers
        // 404 BLOB_UPLOAD_UNKNOWN). The upload therefore alternates between node 0 and a node started on
        // node 0's root, as on a filesystem the two share; once sessions move out of the root, it belongs on
        // nodes 0, 1 and 2. The blob then pulls whole from every node, whatever its root.
        int sharer = fleet.startSharingRootOf(0);
        try {
            String repo = "s3nodes/chunked";
            byte[] blob = new byte[(int) FleetBucket.PART + 3 * 256 * 1024 + 123]; // committed as a multipart upload
            ThreadLocalRandom.current().nextBytes(blob);
            String digest = TestHttp.sha256(blob);

            TestImage.uploadInChunksAcross(List.of(http(0), http(sharer)), repo, blob, 1024 * 1024);

            for (int n : List.of(0, 1, 2, sharer)) {
                HttpResponse<byte[]> get = TestImage.getBlob(http(n), repo, digest);
                assertEquals(200, get.statusCode(), "node " + n);
                assertArrayEquals(blob, get.body(), "node " + n);
            }
            assertTrue(bucket.holds(digest), "the bucket holds the blob");
        } finally {
            fleet.node(sharer).close(); // the other tests' nodes have roots of their own
        }
    }

    @Test
    void aNodeKilledAmidPushesLosesNothingAcknowledgedAndLeavesNothingPartial() throws Exception {
        String repo = "s3nodes/crash";
        int victim = fleet.startAnother();
        // every fourth layer of one pusher is a little over a part: the kill may cut a multipart commit
        long start = System.nanoTime();
        Map<String, TestImage> acknowledged = KillAmidPushes.run(fleet, victim, repo, (id, k) -> id == 0 && k % 4 == 0
                ? TestImage.random("large-" + k, (int) FleetBucket.PART + 1024)
                : TestImage.random("crash-" + id + "-" + k));
        System.out.println(acknowledged.size() + " pushes acknowledged in " + (System.nanoTime() - start) / 1_000_000
                + " ms around the kill");

        assertSurvivorsServe(repo, acknowledged.values());
        for (int run = 0; run < 2; run++) { // grace 0: the first run marks what the dead node left, the second deletes
            assertFalse(gc(0).get("dryRun").asBoolean(), "the victim held no lease");
        }
        // and the collection kept every acknowledged push
        for (TestImage image : acknowledged.values()) {
            image.assertPulls("node 1 after a collection", http(1), repo);
        }
    }

    @Test
    void garbageCollectionOnOneNodeWhileTwoPushKeepsEveryPushAndDeletesAnUnreferencedBlobFromS3() throws Exception {
        String repo = "s3nodes/gc";
        byte[] planted = TestImage.random("planted").layer();
        String digest = TestHttp.sha256(planted);
        assertEquals(201, TestImage.uploadBlob(http(0), repo, planted));
        assertTrue(bucket.holds(digest), "the planted blob is in the bucket");

        GcRace race = GcRace.run(List.of(http(0), http(1)), http(2), repo);

        assertTrue(race.runs() >= 2 && race.deleted() > 0,
                "the collector ran (" + race.runs() + " runs) and deleted blobs (" + race.deleted() + ") while the pushes ran");
        assertTrue(race.acknowledged().size() >= 4, "pushes went through: " + race.acknowledged().size());
        for (int n = 0; n < NODES; n++) {
            for (TestImage image : race.acknowledged().values()) {
                image.assertPulls("node " + n, http(n), repo);
            }
        }
        // never referenced and older than the grace period (0) at every run: marked by one run, deleted by the next
        assertFalse(bucket.holds(digest), "the planted blob's object is gone from S3");
        for (int n = 0; n < NODES; n++) {
            TestHttp node = http(n);
            Poll.await(() -> node.send("HEAD", "/v2/" + repo + "/blobs/" + digest, null, null).statusCode() == 404,
                    "node " + n + " to stop serving the collected blob", 3);
        }
    }

    /**
     * Every node still running serves every image whole and names only whole images by its tags; every blob
     * the database links into {@code repo} reads whole from each of them; and every object of the bucket
     * holds the whole blob its key names (a cut upload left none half-written).
     */
    private static void assertSurvivorsServe(String repo, Collection<TestImage> images) throws Exception {
        List<String> linked = new ArrayList<>(linkedBlobs(repo));
        for (TestImage image : images) { // pulled whole already
            linked.removeAll(List.of(TestHttp.sha256(image.config()), TestHttp.sha256(image.layer())));
        }
        for (int n : fleet.alive()) {
            TestHttp node = http(n);
            for (TestImage image : images) {
                image.assertPulls("node " + n, node, repo);
            }
            TestImage.assertTagsWhole("node " + n, node, repo,
                    images.stream().map(TestImage::digest).collect(Collectors.toSet()));
            for (String blob : linked) {
                HttpResponse<byte[]> b = TestImage.getBlob(node, repo, blob);
                assertEquals(200, b.statusCode(), "node " + n + " lists " + blob + " in " + repo);
                assertEquals(blob, TestHttp.sha256(b.body()), "node " + n + ": " + blob);
            }
        }
        for (BlobInfo object : bucket.objects()) {
            assertEquals(object.digest().toString(), bucket.digestOfObject(object), "the object of " + object.digest());
        }
    }

    /** The blobs the fleet's database links into {@code repo}. */
    private static List<String> linkedBlobs(String repo) throws Exception {
        List<String> linked = new ArrayList<>();
        try (Connection c = fleet.connect();
                PreparedStatement s = c.prepareStatement("SELECT l.digest FROM repository_blobs l"
                        + " JOIN repositories r ON r.id = l.repository_id WHERE r.name = ?")) {
            s.setString(1, repo);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    linked.add(r.getString(1));
                }
            }
        }
        return linked;
    }

    /** Runs the collector on node {@code n}; its report. */
    private static JsonNode gc(int n) {
        HttpResponse<byte[]> r = http(n).send("POST", "/_lading/gc", null, null);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return E2e.readJson(r.body());
    }

    private static E2e.Result skopeo(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        return E2e.run(SKOPEO_TIMEOUT, env, command);
    }

    private static String remote(int n, String repo) {
        return "docker://" + fleet.node(n).hostPort() + "/" + repo + ":latest";
    }

    /** The regular files below {@code dir} (none if it does not exist). */
    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }
}
