package io.lading.http.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.core.digest.Digest;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * A blob that a push makes reachable again (re-uploads it, mounts it, references it from a manifest) is
 * never deleted by a collection that runs within the grace period after it, however old the blob is, and
 * an unreferenced blob is deleted in two phases: marked (in the metadata database) by one run, deleted by a run
 * at least a grace period later if no push adopted it meanwhile. The waits below are the one-second grace
 * period of this server passing; nothing is timed. The tests share one server, so they check their own
 * blobs (and their marks), not a run's totals.
 */
class GarbageCollectionAdoptionTest {

    private static final long GRACE_MILLIS = 1_000;

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server("--auth.dataPlane=required", "--lifecycle.gcGracePeriod=PT1S");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    private final TestHttp http = new TestHttp(server);

    private static void createRepository(String name) {
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            ecr.createRepository(b -> b.repositoryName(name));
        }
    }

    /** Creates the repository, uploads the blob into it and lets its grace period pass. */
    private void uploadedLongAgo(String repo, byte[] blob) throws InterruptedException {
        createRepository(repo);
        assertEquals(201, upload(repo, blob));
        pastGrace();
    }

    private int upload(String repo, byte[] blob) {
        return http.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + TestHttp.sha256(blob), blob, null).statusCode();
    }

    private static byte[] manifest(byte[] config, byte[] layer) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + TestHttp.sha256(config) + "\",\"size\":"
                + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + TestHttp.sha256(layer) + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private int head(String repo, byte[] blob) {
        return http.send("HEAD", "/v2/" + repo + "/blobs/" + TestHttp.sha256(blob), null, null).statusCode();
    }

    private JsonNode gc() throws Exception {
        HttpResponse<byte[]> r = http.send("POST", "/_lading/gc", null, null);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }

    /** Lets more than one grace period pass. */
    private static void pastGrace() throws InterruptedException {
        Thread.sleep(GRACE_MILLIS + 300);
    }

    /** Whether garbage collection's mark of {@code blob} is stored (in the metadata database). */
    private boolean marked(byte[] blob) {
        return server.lading().registry().marks().markedAt(Digest.parse(TestHttp.sha256(blob))).isPresent();
    }

    private void assertPulls(String repo, byte[] manifest, byte[]... blobs) {
        HttpResponse<byte[]> m = http.send("GET", "/v2/" + repo + "/manifests/" + TestHttp.sha256(manifest), null, null);
        assertEquals(200, m.statusCode());
        assertArrayEquals(manifest, m.body());
        for (byte[] blob : blobs) {
            HttpResponse<byte[]> b = http.send("GET", "/v2/" + repo + "/blobs/" + TestHttp.sha256(blob), null, null);
            assertEquals(200, b.statusCode(), "blob " + TestHttp.sha256(blob));
            assertArrayEquals(blob, b.body());
        }
    }

    /** The reproduction from the issue: push, delete, wait past grace, re-upload, GC, put the manifest. */
    @Test
    void aCollectionRightAfterARepushKeepsTheReuploadedBlobs() throws Exception {
        String repo = "gc-adopt/repush";
        createRepository(repo);
        byte[] config = "{\"os\":\"linux\",\"architecture\":\"amd64\",\"repush\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "the layer of an image that is deleted and pushed again".getBytes(StandardCharsets.UTF_8);
        byte[] manifest = manifest(config, layer);
        assertEquals(201, upload(repo, layer));
        assertEquals(201, upload(repo, config));
        assertEquals(201, http.send("PUT", "/v2/" + repo + "/manifests/v1", manifest, OCI).statusCode());
        assertEquals(202, http.send("DELETE", "/v2/" + repo + "/manifests/" + TestHttp.sha256(manifest), null, null)
                .statusCode());
        pastGrace();

        assertEquals(201, upload(repo, layer));
        assertEquals(201, upload(repo, config));
        gc();
        assertEquals(200, head(repo, layer), "the re-uploaded layer survives the collection");
        assertEquals(200, head(repo, config), "the re-uploaded config survives the collection");
        HttpResponse<byte[]> put = http.send("PUT", "/v2/" + repo + "/manifests/v1", manifest, OCI);
        assertEquals(201, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));

        pastGrace();
        gc();
        pastGrace();
        gc();
        assertPulls(repo, manifest, config, layer);
    }

    @Test
    void anUnreferencedBlobIsMarkedFirstAndDeletedOnlyIfStillMarkedAGracePeriodLater() throws Exception {
        String repo = "gc-adopt/phases";
        byte[] orphan = "a blob no manifest will reference".getBytes(StandardCharsets.UTF_8);
        uploadedLongAgo(repo, orphan);

        JsonNode first = gc();
        assertTrue(first.get("blobsMarked").asInt() >= 1, first.toString());
        assertTrue(marked(orphan), "the mark is persisted");
        assertEquals(200, head(repo, orphan), "marking deletes nothing");

        // a re-upload adopts the marked blob: the mark is cleared and its grace period starts again
        assertEquals(201, upload(repo, orphan));
        assertFalse(marked(orphan), "a commit of an existing digest clears its mark");
        pastGrace();
        gc();
        assertEquals(200, head(repo, orphan), "a mark set before the adoption deletes nothing");
        assertTrue(marked(orphan), "marked again, a grace period after the re-upload");

        // a push of the same bytes is under way while the collection deletes the blob
        HttpResponse<byte[]> session = http.send("POST", "/v2/" + repo + "/blobs/uploads/", null, null);
        assertEquals(202, session.statusCode());
        String location = session.headers().firstValue("Location").orElseThrow();
        assertEquals(202, http.send("PATCH", location, orphan, "application/octet-stream").statusCode());
        pastGrace();
        JsonNode second = gc();
        assertTrue(second.get("blobsDeleted").asInt() >= 1, second.toString());
        assertFalse(marked(orphan), "the deletion consumed the mark");
        assertEquals(404, head(repo, orphan));
        Path bytes = server.dataDir().resolve("blobs/sha256/" + TestHttp.sha256(orphan).substring(7, 9) + "/"
                + TestHttp.sha256(orphan).substring(7));
        assertFalse(Files.exists(bytes), "the bytes are gone");

        // the push that was under way completes: its commit stores the blob anew
        assertEquals(201, http.send("PUT", location + (location.contains("?") ? "&" : "?") + "digest="
                + TestHttp.sha256(orphan), null, null).statusCode());
        assertTrue(Files.isRegularFile(bytes));
        assertArrayEquals(orphan, http.send("GET", "/v2/" + repo + "/blobs/" + TestHttp.sha256(orphan), null, null).body());
    }

    /**
     * Bytes in the blob store that no push recorded (a push cut between storing them and recording them) are
     * found by the store's listing, marked (which gives them a row) and deleted a grace period later; bytes
     * that arrived within the grace period are left alone.
     */
    @Test
    void bytesNoPushRecordedAreMarkedThenDeleted() throws Exception {
        byte[] stray = "bytes stored by a push cut before it recorded them".getBytes(StandardCharsets.UTF_8);
        byte[] young = "bytes of a push still recording them".getBytes(StandardCharsets.UTF_8);
        Path strayPath = blobPath(stray);
        Path youngPath = blobPath(young);
        for (Path p : java.util.List.of(strayPath, youngPath)) {
            Files.createDirectories(p.getParent());
        }
        Files.write(strayPath, stray);
        Files.setLastModifiedTime(strayPath, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
        Files.write(youngPath, young);
        assertFalse(marked(stray), "no row yet");

        JsonNode first = gc();
        assertTrue(first.get("blobsMarked").asInt() >= 1, first.toString());
        assertTrue(marked(stray), "the listing found it and marked it");
        assertFalse(marked(young), "within its grace period");
        assertTrue(Files.isRegularFile(strayPath), "marking deletes nothing");
        pastGrace();
        JsonNode second = gc();
        assertTrue(second.get("blobsDeleted").asInt() >= 1, second.toString());
        assertFalse(Files.exists(strayPath), "deleted a grace period after its mark");
        assertFalse(marked(stray), "with its row");
        assertTrue(Files.isRegularFile(youngPath), "bytes younger than the grace period at the first run survive it");
        Files.delete(youngPath);
    }

    private static Path blobPath(byte[] blob) {
        String hex = TestHttp.sha256(blob).substring(7);
        return server.dataDir().resolve("blobs/sha256/" + hex.substring(0, 2) + "/" + hex);
    }

    @Test
    void aLinkKeepsItsTimeAcrossARestart() throws Exception {
        String repo = "gc-adopt/restart";
        byte[] blob = "a blob re-uploaded just before a restart".getBytes(StandardCharsets.UTF_8);
        uploadedLongAgo(repo, blob);
        java.time.Instant beforeReupload = java.time.Instant.now();
        assertEquals(201, upload(repo, blob)); // refreshes the link time, not the file's
        server.stop();
        server.start();
        var index = server.lading().registry().index();
        var link = index.catalog().link(index.require(io.lading.core.repository.RepositoryName.of(repo)).id(),
                io.lading.core.digest.Digest.parse(TestHttp.sha256(blob))).orElseThrow();
        assertFalse(link.linkedAt().isBefore(beforeReupload), "the re-upload's link time is loaded: " + link);
    }

    @Test
    void aMountOrAManifestAdoptsMarkedBlobs() throws Exception {
        String from = "gc-adopt/source";
        String to = "gc-adopt/target";
        createRepository(from);
        createRepository(to);
        byte[] config = "{\"os\":\"linux\",\"architecture\":\"amd64\",\"mounted\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "a layer uploaded long before its manifest, then mounted".getBytes(StandardCharsets.UTF_8);
        assertEquals(201, upload(from, layer));
        assertEquals(201, upload(to, config));
        pastGrace();
        gc();
        assertTrue(marked(layer) && marked(config), "both marked");

        assertEquals(201, http.send("POST", "/v2/" + to + "/blobs/uploads/?mount=" + TestHttp.sha256(layer) + "&from=" + from,
                null, null).statusCode());
        assertFalse(marked(layer), "a mount clears the mark");
        byte[] manifest = manifest(config, layer);
        assertEquals(201, http.send("PUT", "/v2/" + to + "/manifests/v1", manifest, OCI).statusCode());
        assertFalse(marked(config), "a manifest clears the marks of what it references");

        pastGrace();
        gc();
        pastGrace();
        gc();
        assertPulls(to, manifest, config, layer);
    }
}
