package io.lading.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.testing.LadingServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The idle timeout (2 s here: long enough that a loaded machine starving the test's reader for a moment
 * does not look like an abandoned download) closes connections their clients abandoned, and never a transfer that is
 * making progress: a blob pulled for several seconds by a slow reader arrives whole. Before the idle
 * handler observed output progress, a blob written as one file region counted as idle and was cut.
 */
class IdleTimeoutTest {

    @RegisterExtension
    static LadingServer server = new LadingServer("--server.idleTimeout=PT2S", "--auth.dataPlane=off",
            "--registry.createOnPush=true");

    @Test
    void aSlowDownloadLongerThanTheIdleTimeoutArrivesWhole() throws Exception {
        byte[] blob = new byte[32 << 20];
        new Random(7).nextBytes(blob);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        HttpResponse<String> pushed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                server.baseUri().resolve("/v2/idle/slow/blobs/uploads/?digest=" + digest))
                .POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, pushed.statusCode(), pushed.body());

        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new InetSocketAddress("127.0.0.1", server.port()));
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /v2/idle/slow/blobs/" + digest + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            long start = System.nanoTime();
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                Thread.sleep(6); // a few MB/s: the whole pull takes over two idle timeouts
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(seconds >= 4, "the pull was not slow enough to test anything: " + seconds + " s");
            assertTrue(total > blob.length, "cut mid-body after " + total + " bytes of " + blob.length);
        }
    }

    @Test
    void aClientThatStopsSendingItsBodyIsDisconnected() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v2/idle/stalled/blobs/uploads/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n0123456789").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            InputStream in = s.getInputStream();
            int n;
            try {
                while ((n = in.read()) >= 0) {
                    // whatever the server answers, it must then close
                }
            } catch (java.net.SocketException reset) {
                // closed with unread bytes: also a disconnect
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(seconds < 8, "a stalled body held the connection for " + seconds + " s");
        }
    }
}
