package io.lading.http.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Pushes run continuously for several seconds (and delete their older images, so there is garbage) while
 * garbage collection runs again and again with a two-second grace period. Every push re-uploads a layer
 * shared by all its pusher's images, and every third push follows the deletion of all of them, so that
 * layer is often old and unreferenced when it is re-uploaded: a collection must never delete a blob that a
 * push has just re-uploaded, so every step of every push succeeds (no {@code MANIFEST_BLOB_UNKNOWN}). GC must still free the deleted images' blobs, and afterwards every
 * acknowledged push (every manifest PUT that got 201) that the test did not delete must pull completely and
 * byte-identical, while the deleted ones are gone.
 */
class GarbageCollectionStressTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server("--auth.dataPlane=required", "--lifecycle.gcGracePeriod=PT2S");

    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    private static final int PUSHERS = 4;
    private final TestHttp http = new TestHttp(server);

    private record Image(String repo, String digest, byte[] manifest, Map<String, byte[]> blobs) {
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType) {
        return http.send(method, path, body, contentType);
    }

    private static String sha256(byte[] b) {
        return TestHttp.sha256(b);
    }

    /** Pushes config + shared + unique layer + manifest; every step must succeed. */
    private Image push(String repo, int n, byte[] shared, Random random) throws Exception {
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
        byte[] unique = new byte[20_000 + random.nextInt(50_000)];
        random.nextBytes(unique);
        Map<String, byte[]> blobs = Map.of(sha256(config), config, sha256(shared), shared, sha256(unique), unique);
        for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
            HttpResponse<byte[]> upload = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + e.getKey(), e.getValue(),
                    null);
            assertEquals(201, upload.statusCode(), () -> new String(upload.body(), StandardCharsets.UTF_8));
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[" + layer(sha256(shared), shared.length) + "," + layer(sha256(unique), unique.length) + "]}";
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> put = send("PUT", "/v2/" + repo + "/manifests/v" + n, bytes, OCI);
        assertEquals(201, put.statusCode(), () -> "a push whose blobs were all just uploaded is refused: "
                + new String(put.body(), StandardCharsets.UTF_8));
        return new Image(repo, sha256(bytes), bytes, blobs);
    }

    private static String layer(String digest, long size) {
        return "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + digest + "\",\"size\":"
                + size + "}";
    }

    @Test
    void everyAcknowledgedPushPullsCompletelyWhileGcRunsRepeatedly() throws Exception {
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            for (int p = 0; p < PUSHERS; p++) {
                String repo = "stress/p" + p;
                ecr.createRepository(b -> b.repositoryName(repo));
            }
        }
        Map<String, Image> acknowledged = new ConcurrentHashMap<>();
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        AtomicBoolean pushing = new AtomicBoolean(true);
        AtomicInteger gcRuns = new AtomicInteger();
        AtomicLong freed = new AtomicLong();
        long until = System.nanoTime() + 8_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(PUSHERS + 1);
        Future<?> collector = pool.submit(() -> {
            while (pushing.get()) {
                HttpResponse<byte[]> r = send("POST", "/_lading/gc", null, null);
                assertEquals(200, r.statusCode());
                freed.addAndGet(new ObjectMapper().readTree(r.body()).get("bytesFreed").asLong());
                gcRuns.incrementAndGet();
            }
            return null;
        });
        List<Future<?>> pushers = new ArrayList<>();
        for (int p = 0; p < PUSHERS; p++) {
            int id = p;
            pushers.add(pool.submit(() -> {
                Random random = new Random(id);
                byte[] shared = new byte[40_000];
                random.nextBytes(shared);
                List<Image> mine = new ArrayList<>();
                for (int n = 0; System.nanoTime() < until; n++) {
                    // keep the last two images; every third push starts over, so that the shared layer is
                    // unreferenced (and old) while the next push re-uploads it
                    while (mine.size() > (n % 3 == 0 ? 0 : 2)) {
                        Image old = mine.remove(0);
                        assertEquals(202, send("DELETE", "/v2/" + old.repo() + "/manifests/" + old.digest(), null, null)
                                .statusCode());
                        deleted.add(old.digest());
                    }
                    Image image = push("stress/p" + id, n, shared, random);
                    acknowledged.put(image.digest(), image);
                    mine.add(image);
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : pushers) {
                f.get();
            }
        } finally {
            pushing.set(false);
            collector.get();
            pool.shutdown();
        }
        assertTrue(gcRuns.get() > 1, "GC ran repeatedly during the pushes");
        assertTrue(freed.get() > 0, "GC freed the deleted images' blobs while pushes went on");
        assertTrue(acknowledged.size() - deleted.size() >= PUSHERS, "pushes succeeded: " + acknowledged.size());

        send("POST", "/_lading/gc", null, null); // one more, after everything settled
        for (Image image : acknowledged.values()) {
            HttpResponse<byte[]> m = send("GET", "/v2/" + image.repo() + "/manifests/" + image.digest(), null, null);
            if (deleted.contains(image.digest())) {
                assertEquals(404, m.statusCode(), "deleted " + image.digest());
                continue;
            }
            assertEquals(200, m.statusCode(), () -> "acknowledged push " + image.digest());
            assertArrayEquals(image.manifest(), m.body());
            for (Map.Entry<String, byte[]> blob : image.blobs().entrySet()) {
                HttpResponse<byte[]> b = send("GET", "/v2/" + image.repo() + "/blobs/" + blob.getKey(), null, null);
                assertEquals(200, b.statusCode(), () -> "blob " + blob.getKey() + " of " + image.digest());
                assertArrayEquals(blob.getValue(), b.body());
            }
        }
    }
}
