package io.lading.http.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.testing.LadingServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Online garbage collection through the operator endpoint: a deleted image's unique blobs are marked by
 * one run and freed by the next (disk usage drops by their size), blobs shared with a surviving image stay
 * pullable, and a dry run marks and deletes nothing.
 */
class GarbageCollectionTest {

    @RegisterExtension
    static LadingServer server = new LadingServer("--lifecycle.gcGracePeriod=PT0S");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path)).header("Authorization", io.lading.http.testing.TestHttp.TESTER_AUTHORIZATION)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private String pushBlob(String repo, byte[] bytes) throws Exception {
        String d = sha256(bytes);
        assertEquals(201, send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, bytes, null).statusCode());
        return d;
    }

    private String pushImage(String repo, String tag, byte[] config, byte[]... layers) throws Exception {
        StringBuilder m = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + pushBlob(repo, config) + "\",\"size\":"
                + config.length + "},\"layers\":[");
        for (int i = 0; i < layers.length; i++) {
            m.append(i > 0 ? "," : "").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                    + "\"digest\":\"").append(pushBlob(repo, layers[i])).append("\",\"size\":").append(layers[i].length).append('}');
        }
        byte[] manifest = m.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(201, send("PUT", "/v2/" + repo + "/manifests/" + tag, manifest, OCI).statusCode());
        return sha256(manifest);
    }

    private long blobBytesOnDisk() throws IOException {
        try (Stream<Path> files = Files.walk(server.dataDir().resolve("blobs"))) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private JsonNode gc(boolean dryRun) throws Exception {
        HttpResponse<byte[]> r = send("POST", "/_lading/gc?dryRun=" + dryRun, null, null);
        assertEquals(200, r.statusCode(), new String(r.body()));
        return JSON.readTree(r.body());
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void freesTheUniqueBlobsOfADeletedImageAndKeepsSharedOnes() throws Exception {
        byte[] shared = random(200_000, 1);
        byte[] unique = random(300_000, 2);
        byte[] configA = "{\"os\":\"linux\",\"architecture\":\"amd64\",\"a\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] configB = "{\"os\":\"linux\",\"architecture\":\"amd64\",\"b\":1}".getBytes(StandardCharsets.UTF_8);
        String a = pushImage("gc/a", "v1", configA, shared, unique);
        String b = pushImage("gc/b", "v1", configB, shared);
        assertEquals(202, send("DELETE", "/v2/gc/a/manifests/" + a, null, null).statusCode());
        long before = blobBytesOnDisk();

        JsonNode dry = gc(true);
        assertTrue(dry.get("dryRun").asBoolean());
        assertTrue(dry.get("blobsMarked").asInt() >= 3, dry.toString()); // config A, unique layer, manifest A
        assertEquals(before, blobBytesOnDisk(), "a dry run deletes nothing");
        assertEquals(dry.get("blobsMarked").asInt(), gc(true).get("blobsMarked").asInt(), "nor marks anything");

        // two phases: the first run marks the unreferenced blobs, the next (a grace period of 0 later) deletes them
        JsonNode mark = gc(false);
        assertEquals(0, mark.get("blobsDeleted").asInt(), mark.toString());
        assertEquals(before, blobBytesOnDisk(), "marking deletes nothing");
        assertTrue(gc(true).get("blobsDeleted").asInt() >= 3, "a dry run now reports the marked blobs as deletable");
        assertEquals(before, blobBytesOnDisk());

        JsonNode run = gc(false);
        long freed = run.get("bytesFreed").asLong();
        assertTrue(freed >= unique.length + configA.length, run.toString());
        assertEquals(before - freed, blobBytesOnDisk(), "disk usage drops by what GC reports");
        assertEquals(404, send("GET", "/v2/gc/a/blobs/" + sha256(unique), null, null).statusCode());

        // the survivor pulls completely, including the shared layer
        HttpResponse<byte[]> manifest = send("GET", "/v2/gc/b/manifests/v1", null, null);
        assertEquals(200, manifest.statusCode());
        assertEquals(b, sha256(manifest.body()));
        assertArrayEquals(shared, send("GET", "/v2/gc/b/blobs/" + sha256(shared), null, null).body());
        assertArrayEquals(configB, send("GET", "/v2/gc/b/blobs/" + sha256(configB), null, null).body());

        assertEquals(0, gc(false).get("blobsDeleted").asInt(), "a second run finds nothing more");
    }

    @Test
    void rejectsUnknownTasksAndBadFlags() throws Exception {
        assertEquals(404, send("POST", "/_lading/nothing", null, null).statusCode());
        assertEquals(405, send("GET", "/_lading/gc", null, null).statusCode());
        assertEquals(400, send("POST", "/_lading/gc?dryRun=maybe", null, null).statusCode());
    }
}
