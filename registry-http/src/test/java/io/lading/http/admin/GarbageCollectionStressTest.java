package io.lading.http.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.testing.LadingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pushes run continuously for a few seconds (and delete their older images, so there is garbage) while
 * garbage collection runs again and again with a one-second grace period. A push may be refused with
 * MANIFEST_BLOB_UNKNOWN if GC removed a layer it uploaded over a second earlier (the client uploads it
 * again); but GC must free the deleted images' blobs, and every image whose push succeeded and that was
 * not deleted must pull completely and byte-identical afterwards.
 */
class GarbageCollectionStressTest {

    @RegisterExtension
    static LadingServer server = new LadingServer("--lifecycle.gcGracePeriod=PT1S");

    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    private final HttpClient http = HttpClient.newHttpClient();

    private record Image(String repo, String digest, byte[] manifest, Map<String, byte[]> blobs) {
    }

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

    /** Pushes config + shared + unique layer + manifest; null if any step was refused. */
    private Image push(String repo, int n, byte[] shared, Random random) throws Exception {
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
        byte[] unique = new byte[20_000 + random.nextInt(50_000)];
        random.nextBytes(unique);
        Map<String, byte[]> blobs = Map.of(sha256(config), config, sha256(shared), shared, sha256(unique), unique);
        for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
            if (send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + e.getKey(), e.getValue(), null).statusCode() != 201) {
                return null;
            }
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[" + layer(sha256(shared), shared.length) + "," + layer(sha256(unique), unique.length) + "]}";
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> put = send("PUT", "/v2/" + repo + "/manifests/v" + n, bytes, OCI);
        if (put.statusCode() == 201) {
            return new Image(repo, sha256(bytes), bytes, blobs);
        }
        assertEquals(400, put.statusCode(), () -> "only MANIFEST_BLOB_UNKNOWN may refuse a push: " + new String(put.body()));
        assertTrue(new String(put.body()).contains("MANIFEST_BLOB_UNKNOWN"), new String(put.body()));
        return null;
    }

    private static String layer(String digest, long size) {
        return "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + digest + "\",\"size\":"
                + size + "}";
    }

    @Test
    void everySucceededPushPullsCompletelyWhileGcRunsRepeatedly() throws Exception {
        Map<String, Image> alive = new ConcurrentHashMap<>();
        AtomicBoolean pushing = new AtomicBoolean(true);
        AtomicInteger gcRuns = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong freed = new java.util.concurrent.atomic.AtomicLong();
        long until = System.nanoTime() + 5_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(5);
        Future<?> collector = pool.submit(() -> {
            while (pushing.get()) {
                HttpResponse<byte[]> r = send("POST", "/_lading/gc", null, null);
                assertEquals(200, r.statusCode());
                freed.addAndGet(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("bytesFreed").asLong());
                gcRuns.incrementAndGet();
            }
            return null;
        });
        List<Future<?>> pushers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int id = p;
            pushers.add(pool.submit(() -> {
                Random random = new Random(id);
                byte[] shared = new byte[40_000];
                random.nextBytes(shared);
                List<Image> mine = new ArrayList<>();
                for (int n = 0; System.nanoTime() < until; n++) {
                    Image image = push("stress/p" + id, n, shared, random);
                    if (image == null) {
                        refused.incrementAndGet();
                        continue;
                    }
                    mine.add(image);
                    alive.put(image.digest(), image);
                    if (mine.size() > 2) {
                        Image old = mine.remove(0);
                        assertEquals(202, send("DELETE", "/v2/" + old.repo() + "/manifests/" + old.digest(), null, null)
                                .statusCode());
                        alive.remove(old.digest());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : pushers) {
            f.get();
        }
        pushing.set(false);
        collector.get();
        pool.shutdown();
        assertTrue(gcRuns.get() > 1, "GC ran repeatedly during the pushes");
        assertTrue(freed.get() > 0, "GC freed the deleted images' blobs while pushes went on");
        assertTrue(alive.size() >= 4, "some pushes succeeded: " + alive.size() + ", refused " + refused.get());

        send("POST", "/_lading/gc", null, null); // one more, after everything settled
        for (Image image : alive.values()) {
            HttpResponse<byte[]> m = send("GET", "/v2/" + image.repo() + "/manifests/" + image.digest(), null, null);
            assertEquals(200, m.statusCode());
            assertArrayEquals(image.manifest(), m.body());
            for (Map.Entry<String, byte[]> blob : image.blobs().entrySet()) {
                HttpResponse<byte[]> b = send("GET", "/v2/" + image.repo() + "/blobs/" + blob.getKey(), null, null);
                assertEquals(200, b.statusCode(), () -> "blob " + blob.getKey() + " of " + image.digest());
                assertArrayEquals(blob.getValue(), b.body());
            }
        }
    }
}
