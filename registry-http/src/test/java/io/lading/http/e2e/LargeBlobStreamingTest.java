package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 2 GiB blob through a Lading limited to a 128 MiB heap: pushed in one monolithic
 * {@code POST ?digest=} whose body is generated on the fly, pulled back streaming, and read by a Range
 * request at its end; a second 2 GiB blob goes through an upload session as one chunked PATCH. The server can only survive this by streaming both ways; with
 * {@code -XX:+ExitOnOutOfMemoryError} any buffering shows as a dead process.
 */
class LargeBlobStreamingTest {

    private static final long SIZE = 2L << 30; // 2 GiB
    private static final long SEED = 0x5EED_1A2B_3C4DL;
    private static final int MIB = 1 << 20;

    private static Path work;
    private static SubprocessServer server;
    private static final HttpClient http = E2e.httpClient();

    @BeforeAll
    static void startServer() throws Exception {
        work = Files.createTempDirectory("lading-e2e-large");
        server = new SubprocessServer(Files.createDirectories(work.resolve("data")), work.resolve("server.log"), "128m")
                .start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            E2e.deleteTree(work); // 2 GiB of blob
        }
    }

    /**
     * {@code length} bytes starting at {@code offset} of an endless deterministic pseudo-random sequence:
     * the 8-byte word at index i is SplitMix64's output for {@code seed + i}, so any offset is reachable
     * without generating what precedes it, and nothing is held in memory.
     */
    static final class Generated extends InputStream {
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private final long seed;
        private long pos;
        private final long end;

        Generated(long seed, long offset, long length) {
            this.seed = seed;
            this.pos = offset;
            this.end = offset + length;
        }

        static long word(long seed, long index) {
            long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        @Override
        public int read() {
            if (pos >= end) {
                return -1;
            }
            int b = (int) (word(seed, pos >>> 3) >>> ((pos & 7) * 8)) & 0xff;
            pos++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= end) {
                return -1;
            }
            int n = (int) Math.min(len, end - pos);
            int i = 0;
            while (i < n && (pos & 7) != 0) { // up to the next word boundary
                b[off + i++] = (byte) read();
            }
            while (n - i >= 8) {
                LONGS.set(b, off + i, word(seed, pos >>> 3));
                i += 8;
                pos += 8;
            }
            while (i < n) {
                b[off + i++] = (byte) read();
            }
            return n;
        }
    }

    @Test
    void twoGibBlobStreamsThroughA128MibServer() throws Exception {
        long t0 = System.nanoTime();
        String digest;
        try (InputStream in = new Generated(SEED, 0, SIZE)) {
            digest = E2e.digestOf(in);
        }
        long t1 = System.nanoTime();

        // one monolithic POST ?digest=, body streamed from the generator with a Content-Length
        URI post = server.uri("/v2/large/blob/blobs/uploads/?digest=" + digest);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(post)
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(SEED, 0, SIZE)), SIZE))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), () -> created.body() + "\n" + tail(server.log()));
        assertEquals(digest, created.headers().firstValue("Docker-Content-Digest").orElse(""));
        assertEquals("/v2/large/blob/blobs/" + digest, created.headers().firstValue("Location").orElse(""));
        long t2 = System.nanoTime();

        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(server.uri("/v2/large/blob/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
        assertEquals(SIZE, head.headers().firstValueAsLong("Content-Length").orElse(-1));

        // pull it back streaming, hashing as it comes
        HttpResponse<InputStream> pulled = http.send(HttpRequest.newBuilder(server.uri("/v2/large/blob/blobs/" + digest))
                .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, pulled.statusCode());
        assertEquals(SIZE, pulled.headers().firstValueAsLong("Content-Length").orElse(-1));
        CountingStream counted;
        String pulledDigest;
        try (InputStream body = pulled.body()) {
            counted = new CountingStream(body);
            pulledDigest = E2e.digestOf(counted);
        }
        assertEquals(SIZE, counted.count, "bytes pulled");
        assertEquals(digest, pulledDigest, "digest of the bytes pulled");
        long t3 = System.nanoTime();

        // the last MiB by a Range request
        long from = SIZE - MIB;
        HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(server.uri("/v2/large/blob/blobs/" + digest))
                .header("Range", "bytes=" + from + "-" + (SIZE - 1)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, tail.statusCode());
        assertEquals("bytes " + from + "-" + (SIZE - 1) + "/" + SIZE, tail.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(new Generated(SEED, from, MIB).readAllBytes(), tail.body(), "the last MiB");

        // still alive, still serving, never ran out of memory
        assertTrue(server.process().isAlive(), () -> "server died:\n" + tail(server.log()));
        assertEquals(200, http.send(HttpRequest.newBuilder(server.uri("/v2/")).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        assertFalse(server.log().contains("OutOfMemoryError"), () -> tail(server.log()));
        Path onDisk = server.dataDir().resolve("blobs/sha256").resolve(digest.substring(7, 9)).resolve(digest.substring(7));
        assertEquals(SIZE, Files.size(onDisk), "blob file size");
        System.out.printf("large blob: hash %.1fs, push %.1fs, pull+hash %.1fs%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
    }

    @Test
    void twoGibBlobThroughAChunkedPatchSession() throws Exception {
        long seed = SEED + 1;
        String digest;
        try (InputStream in = new Generated(seed, 0, SIZE)) {
            digest = E2e.digestOf(in);
        }
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(server.uri("/v2/large/session/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, started.statusCode(), started::body);
        URI session = server.uri("/").resolve(started.headers().firstValue("Location").orElseThrow());

        // no length given: the body goes out with Transfer-Encoding: chunked
        HttpResponse<String> patched = http.send(HttpRequest.newBuilder(session)
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(seed, 0, SIZE)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, patched.statusCode(), () -> patched.body() + "\n" + tail(server.log()));
        assertEquals("0-" + (SIZE - 1), patched.headers().firstValue("Range").orElse(""));

        URI location = server.uri("/").resolve(patched.headers().firstValue("Location").orElseThrow());
        String l = location.toString();
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(l + (l.contains("?") ? "&" : "?")
                        + "digest=" + digest)).timeout(Duration.ofMinutes(5))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), () -> put.body() + "\n" + tail(server.log()));

        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(server.uri("/v2/large/session/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
        assertEquals(SIZE, head.headers().firstValueAsLong("Content-Length").orElse(-1));
        // a MiB straddling the 1 GiB mark, at an odd offset, and the last MiB
        for (long from : new long[] {(1L << 30) - MIB / 2 + 3, SIZE - MIB}) {
            HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(server.uri("/v2/large/session/blobs/" + digest))
                    .header("Range", "bytes=" + from + "-" + (from + MIB - 1)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(206, part.statusCode());
            assertArrayEquals(new Generated(seed, from, MIB).readAllBytes(), part.body(), "a MiB from " + from);
        }
        assertTrue(server.process().isAlive(), () -> "server died:\n" + tail(server.log()));
        assertFalse(server.log().contains("OutOfMemoryError"), () -> tail(server.log()));
    }

    private static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
