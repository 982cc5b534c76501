package io.lading.http.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.testing.LadingServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Concurrent writers leave one valid state: many clients pushing the same blob, or different images to
 * the same tag, at once; and abandoned upload sessions expire.
 */
class OciConcurrencyTest {

    @RegisterExtension
    static LadingServer server = new LadingServer("--registry.uploadExpiry=PT1S", "--registry.uploadExpiryInterval=PT1S");

    private final OciTestClient client = new OciTestClient(server.baseUri());

    private static <T> List<T> runTogether(int n, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get());
        }
        pool.shutdown();
        return out;
    }

    @Test
    void concurrentPushesOfTheSameBlobLeaveOneIntactBlob() throws Exception {
        byte[] blob = OciTestClient.randomBytes(3 * 1024 * 1024);
        String digest = OciTestClient.sha256(blob);
        List<Integer> statuses = runTogether(8, () -> client.post(
                "/v2/conc/blob/blobs/uploads/?digest=" + digest, blob).statusCode());
        statuses.forEach(s -> assertEquals(201, s));
        HttpResponse<byte[]> got = client.get("/v2/conc/blob/blobs/" + digest);
        assertEquals(200, got.statusCode());
        assertArrayEquals(blob, got.body());
    }

    @Test
    void concurrentPushesToOneTagEndWithOneOfThePushedImages() throws Exception {
        Map<String, byte[]> pushed = new ConcurrentHashMap<>();
        List<OciTestClient.Pushed> results = runTogether(8, () -> {
            OciTestClient.Pushed p = client.pushImage("conc/tag", "latest", OciTestClient.OCI_MANIFEST);
            pushed.put(p.digest(), p.bytes());
            return p;
        });
        assertEquals(8, results.size());
        HttpResponse<byte[]> tagged = client.get("/v2/conc/tag/manifests/latest",
                "Accept", OciTestClient.OCI_MANIFEST);
        assertEquals(200, tagged.statusCode());
        String digest = tagged.headers().firstValue("Docker-Content-Digest").orElseThrow();
        assertTrue(pushed.containsKey(digest), "the tag names one of the pushed images");
        assertArrayEquals(pushed.get(digest), tagged.body());
        // every pushed image is still there by digest, whole
        for (Map.Entry<String, byte[]> e : pushed.entrySet()) {
            assertArrayEquals(e.getValue(), client.get("/v2/conc/tag/manifests/" + e.getKey()).body());
        }
        String tags = new String(client.get("/v2/conc/tag/tags/list").body());
        assertEquals("{\"name\":\"conc/tag\",\"tags\":[\"latest\"]}", tags);
    }

    @Test
    void abandonedUploadSessionsExpire() throws Exception {
        HttpResponse<byte[]> started = client.post("/v2/conc/expiry/blobs/uploads/", null);
        assertEquals(202, started.statusCode());
        String location = OciTestClient.location(started);
        client.patch(location, new byte[] {1, 2, 3});
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        int status;
        do {
            status = client.get(location).statusCode();
        } while (status == 204 && Instant.now().isBefore(deadline));
        assertEquals(404, status, "the session expired and its status is BLOB_UPLOAD_UNKNOWN");
        OciTestClient.assertError(client.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }
}
