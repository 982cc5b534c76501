package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL of a Lading process in the middle of 20 concurrent pushes, then a restart over the same data
 * directory: everything the server acknowledged (201) survives intact, nothing half-written is visible
 * as a blob, and an upload session cut off mid-body is reported with the length actually on disk and
 * can be finished.
 *
 * <p>Pushes 0..9 run straight through. Pushes 10..19 upload their first layer and config, then stream
 * half of their second layer's PATCH body and wait on a gate that opens only after the kill, so there
 * are always uploads in flight when the server dies; the kill comes once at least 5 manifests were
 * acknowledged.
 */
class CrashRecoveryTest {

    private static final int PUSHES = 20;
    private static final int GATED_FROM = 10;
    private static final int KILL_AFTER_MANIFESTS = 5;
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";

    private Path work;
    private SubprocessServer server;

    /** One image to push: its blobs (layer1, layer2, config) and manifest, all deterministic. */
    record Image(int index, String repo, byte[] layer1, byte[] layer2, byte[] config, byte[] manifest) {
        List<byte[]> blobs() {
            return List.of(layer1, layer2, config);
        }
    }

    /** A session cut off mid-PATCH: its URL and the whole blob it was to receive. */
    record Interrupted(Image image, URI session, byte[] blob) {
    }

    private final Map<Integer, String> manifestCreated = new ConcurrentHashMap<>();
    private final Map<String, String> blobCreated = new ConcurrentHashMap<>(); // digest -> repo
    private final Map<Integer, Interrupted> interrupted = new ConcurrentHashMap<>();
    private final Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
    private final CountDownLatch manifestsAcked = new CountDownLatch(KILL_AFTER_MANIFESTS);
    private final CountDownLatch gatedAtMidpoint = new CountDownLatch(PUSHES - GATED_FROM);
    private final CountDownLatch gate = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createTempDirectory("lading-e2e-crash");
        Path data = Files.createDirectories(work.resolve("data"));
        server = new SubprocessServer(data, work.resolve("server.log"), "128m").start();
    }

    @AfterEach
    void tearDown() throws Exception {
        gate.countDown();
        if (server != null) {
            server.close();
        }
        E2e.deleteTree(work);
    }

    static Image image(int i) {
        Random random = new Random(0xC0FFEEL + i);
        byte[] layer1 = new byte[(1 << 20) + random.nextInt(3 << 20)];
        byte[] layer2 = new byte[(1 << 20) + random.nextInt(3 << 20)];
        random.nextBytes(layer1);
        random.nextBytes(layer2);
        String l1 = E2e.digestOf(layer1);
        String l2 = E2e.digestOf(layer2);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:" + (10 + i)
                + "Z\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + l1 + "\",\"" + l2 + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + E2e.digestOf(config) + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"" + LAYER_TYPE + "\",\"digest\":\"" + l1 + "\",\"size\":" + layer1.length + "},"
                + "{\"mediaType\":\"" + LAYER_TYPE + "\",\"digest\":\"" + l2 + "\",\"size\":" + layer2.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        return new Image(i, "crash/repo" + i, layer1, layer2, config, manifest);
    }

    /** Serves {@code data}, pausing after the first half until {@code gate} opens. */
    private final class GatedStream extends InputStream {
        private final byte[] data;
        private final int half;
        private int pos;
        private boolean released;

        GatedStream(byte[] data) {
            this.data = data;
            this.half = data.length / 2;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!released && pos >= half) {
                gatedAtMidpoint.countDown();
                try {
                    if (!gate.await(3, TimeUnit.MINUTES)) {
                        throw new IOException("gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
                released = true;
            }
            int limit = released ? data.length : half;
            if (pos >= limit) {
                return -1;
            }
            int n = Math.min(len, limit - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private URI resolve(URI base, HttpResponse<?> r) {
        String location = r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location"));
        return base.resolve(location);
    }

    private static URI withDigest(URI session, String digest) {
        String s = session.toString();
        return URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + digest);
    }

    /** POST session, PATCH the body (gated: stopping at half until the kill), PUT ?digest=. */
    private void uploadBlob(HttpClient client, URI base, Image img, byte[] blob, boolean gated) throws Exception {
        String digest = E2e.digestOf(blob);
        HttpResponse<String> start = client.send(HttpRequest.newBuilder(base.resolve("/v2/" + img.repo() + "/blobs/uploads/"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, start.statusCode(), start::body);
        URI session = resolve(base, start);
        if (gated) {
            interrupted.put(img.index(), new Interrupted(img, session, blob));
        }
        InputStream body = gated ? new GatedStream(blob) : new java.io.ByteArrayInputStream(blob);
        HttpResponse<String> patch = client.send(HttpRequest.newBuilder(session)
                .timeout(Duration.ofMinutes(4))
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> body), blob.length))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, patch.statusCode(), patch::body);
        assertEquals("0-" + (blob.length - 1), patch.headers().firstValue("Range").orElse(""));
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(withDigest(resolve(base, patch), digest))
                .timeout(Duration.ofSeconds(60)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put::body);
        blobCreated.put(digest, img.repo());
    }

    private void push(Image img, URI base) {
        // its own client: a gated body blocks a thread of this client only
        HttpClient client = E2e.httpClient();
        try {
            boolean gated = img.index() >= GATED_FROM;
            uploadBlob(client, base, img, img.layer1(), false);
            uploadBlob(client, base, img, img.config(), false);
            uploadBlob(client, base, img, img.layer2(), gated);
            HttpResponse<String> put = client.send(HttpRequest.newBuilder(base.resolve("/v2/" + img.repo() + "/manifests/v1"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", MANIFEST_TYPE)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(img.manifest())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() == 201) {
                manifestCreated.put(img.index(), put.headers().firstValue("Docker-Content-Digest").orElse(""));
                manifestsAcked.countDown();
            } else {
                failures.put(img.index(), new AssertionError("manifest PUT " + put.statusCode() + ": " + put.body()));
            }
        } catch (Throwable t) {
            failures.put(img.index(), t);
        }
    }

    @Test
    void acknowledgedPushesSurviveSigkill() throws Exception {
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < PUSHES; i++) {
            images.add(image(i));
        }
        URI base = server.uri("/");
        ExecutorService pool = Executors.newFixedThreadPool(PUSHES);
        int ackedAtKill;
        try {
            for (Image img : images) {
                pool.submit(() -> push(img, base));
            }
            assertTrue(manifestsAcked.await(90, TimeUnit.SECONDS),
                    () -> "fewer than " + KILL_AFTER_MANIFESTS + " manifests acknowledged; failures " + failures
                            + "\n" + server.log());
            assertTrue(gatedAtMidpoint.await(90, TimeUnit.SECONDS), () -> "gated uploads never reached mid-body; failures "
                    + failures + "\n" + server.log());
            awaitPartialSessionsOnDisk();
            ackedAtKill = manifestCreated.size();
            server.kill();
        } finally {
            gate.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(2, TimeUnit.MINUTES), "pushers finish once the server is gone");
        }
        System.out.printf("crash: %d manifests acknowledged at kill, %d in the end, %d pushes failed, %d blobs acked%n",
                ackedAtKill, manifestCreated.size(), failures.size(), blobCreated.size());
        for (int i = GATED_FROM; i < PUSHES; i++) {
            assertFalse(manifestCreated.containsKey(i), "gated push " + i + " cannot have completed");
        }

        server.start(); // same data directory, new port
        HttpClient client = E2e.httpClient();

        // 1. every acknowledged image pulls completely, byte for byte
        for (int i : manifestCreated.keySet()) {
            Image img = images.get(i);
            assertImageComplete(client, img, "acknowledged push " + i);
            assertEquals(E2e.digestOf(img.manifest()), manifestCreated.get(i), "201 named the manifest digest");
        }
        // 2. every acknowledged blob is served, whole
        for (Map.Entry<String, String> blob : blobCreated.entrySet()) {
            HttpResponse<byte[]> r = get(client, "/v2/" + blob.getValue() + "/blobs/" + blob.getKey(), null);
            assertEquals(200, r.statusCode(), "acknowledged blob " + blob + " is served after the restart");
            assertEquals(blob.getKey(), E2e.digestOf(r.body()), "acknowledged blob " + blob + " is intact");
        }
        // 3. an image whose acknowledgement was lost is either absent or complete, never half there
        for (Image img : images) {
            if (!manifestCreated.containsKey(img.index())) {
                HttpResponse<byte[]> r = get(client, "/v2/" + img.repo() + "/manifests/v1", MANIFEST_TYPE);
                if (r.statusCode() != 404) {
                    assertImageComplete(client, img, "unacknowledged but visible push " + img.index());
                }
            }
        }
        // 4. no partial blob: every blob file hashes to its own name
        Path blobs = server.dataDir().resolve("blobs").resolve("sha256");
        int files = 0;
        try (Stream<Path> walk = Files.walk(blobs)) {
            for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                assertEquals("sha256:" + f.getFileName(), E2e.digestOf(f), "blob file " + f + " holds other bytes than its name");
                files++;
            }
        }
        assertTrue(files >= blobCreated.size(), "blob files " + files + " >= acknowledged " + blobCreated.size());
        // 5. the catalog works and lists every acknowledged repository
        HttpResponse<byte[]> catalog = get(client, "/v2/_catalog?n=1000", null);
        assertEquals(200, catalog.statusCode(), () -> new String(catalog.body()));
        Set<String> repos = new HashSet<>();
        E2e.readJson(catalog.body()).path("repositories").forEach(n -> repos.add(n.asText()));
        for (int i : manifestCreated.keySet()) {
            assertTrue(repos.contains(images.get(i).repo()), "catalog lists " + images.get(i).repo() + ": " + repos);
        }
        // 6. sessions cut off mid-body report what is on disk, and can be finished
        assertEquals(PUSHES - GATED_FROM, interrupted.size());
        int continued = 0;
        for (Interrupted cut : interrupted.values()) {
            continued += continueInterrupted(client, cut) ? 1 : 0;
        }
        System.out.printf("crash: %d of %d interrupted sessions continued to completion%n", continued, interrupted.size());
        assertTrue(server.process().isAlive(), "restarted server still running");
    }

    /** Waits (up to 30 s) until every gated session has some bytes in its data file, so the kill cuts real data. */
    private void awaitPartialSessionsOnDisk() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            boolean all = interrupted.size() == PUSHES - GATED_FROM;
            for (Interrupted cut : interrupted.values()) {
                Path data = sessionData(cut);
                all &= Files.exists(data) && Files.size(data) > 0;
            }
            if (all) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "gated sessions never got bytes on disk: " + interrupted.keySet());
            gate.await(20, TimeUnit.MILLISECONDS); // a short wait (the gate is still closed here)
        }
    }

    private Path sessionData(Interrupted cut) {
        String path = cut.session().getPath();
        String id = path.substring(path.lastIndexOf('/') + 1);
        return server.dataDir().resolve("uploads").resolve(id).resolve("data");
    }

    /** True when the session was still there and was finished; false when it is (consistently) gone. */
    private boolean continueInterrupted(HttpClient client, Interrupted cut) throws Exception {
        URI session = server.uri(cut.session().getRawPath());
        Path data = sessionData(cut);
        HttpResponse<String> status = client.send(HttpRequest.newBuilder(session).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (!Files.exists(data)) {
            assertEquals(404, status.statusCode(), "a session gone from disk is unknown: " + status.body());
            return false;
        }
        long onDisk = Files.size(data);
        assertEquals(204, status.statusCode(), () -> "status of interrupted session " + session + ": " + status.body());
        assertTrue(onDisk > 0 && onDisk < cut.blob().length, "session holds part of the blob: " + onDisk);
        assertEquals("0-" + (onDisk - 1), status.headers().firstValue("Range").orElse(""),
                "Range of the interrupted session is the data on disk (" + onDisk + " bytes)");
        assertTrue(Arrays.equals(cut.blob(), 0, (int) onDisk, Files.readAllBytes(data), 0, (int) onDisk),
                "the bytes kept are a prefix of what was sent");

        byte[] rest = Arrays.copyOfRange(cut.blob(), (int) onDisk, cut.blob().length);
        HttpResponse<String> patch = client.send(HttpRequest.newBuilder(session)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", onDisk + "-" + (cut.blob().length - 1))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(rest)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, patch.statusCode(), () -> "continuing " + session + ": " + patch.body());
        assertEquals("0-" + (cut.blob().length - 1), patch.headers().firstValue("Range").orElse(""));
        String digest = E2e.digestOf(cut.blob());
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(withDigest(server.uri("/").resolve(
                        patch.headers().firstValue("Location").orElseThrow()), digest))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), () -> "completing " + session + ": " + put.body());
        HttpResponse<byte[]> blob = get(client, "/v2/" + cut.image().repo() + "/blobs/" + digest, null);
        assertEquals(200, blob.statusCode());
        assertEquals(digest, E2e.digestOf(blob.body()), "the finished blob is intact");
        return true;
    }

    private void assertImageComplete(HttpClient client, Image img, String what) throws Exception {
        HttpResponse<byte[]> m = get(client, "/v2/" + img.repo() + "/manifests/v1", MANIFEST_TYPE);
        assertEquals(200, m.statusCode(), () -> what + ": manifest by tag: " + new String(m.body()));
        assertTrue(Arrays.equals(img.manifest(), m.body()), what + ": manifest bytes are the ones pushed");
        assertEquals(E2e.digestOf(img.manifest()), m.headers().firstValue("Docker-Content-Digest").orElse(""));
        JsonNode manifest = E2e.readJson(m.body());
        List<JsonNode> descriptors = new ArrayList<>();
        descriptors.add(manifest.path("config"));
        manifest.path("layers").forEach(descriptors::add);
        for (JsonNode d : descriptors) {
            String digest = d.path("digest").asText();
            HttpResponse<byte[]> b = get(client, "/v2/" + img.repo() + "/blobs/" + digest, null);
            assertEquals(200, b.statusCode(), what + ": blob " + digest);
            assertEquals(d.path("size").asLong(), b.body().length, what + ": size of " + digest);
            assertEquals(digest, E2e.digestOf(b.body()), what + ": bytes of " + digest);
        }
    }

    private HttpResponse<byte[]> get(HttpClient client, String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(60));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
