package io.lading.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.testing.LadingServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow clients as an attacker would be one: a request head sent a byte at a time (slowloris) gets
 * {@code 408} and is disconnected after {@code server.headerTimeout} (1 s here), however often it sends
 * a byte, which the idle timeout alone never does; a body trickled below
 * {@code server.minBodyBytesPerSecond} is disconnected after one {@code server.bodyRateWindow}. A kept-alive
 * connection idle between requests for longer than the header timeout is still served (the idle timeout
 * governs that wait).
 */
class SlowClientLimitsTest {

    @RegisterExtension
    static LadingServer server = new LadingServer("--server.headerTimeout=PT1S", "--server.idleTimeout=PT60S",
            "--server.minBodyBytesPerSecond=2000", "--server.bodyRateWindow=PT1S", "--auth.dataPlane=off",
            "--registry.createOnPush=true");

    /** Sends {@code bytes} one every {@code gapMillis} until the server closes; what it answered, and when. */
    private static String trickle(Socket s, byte[] head, byte[] bytes, long gapMillis, long[] closedAfterMillis)
            throws IOException, InterruptedException {
        s.setSoTimeout(15_000);
        OutputStream out = s.getOutputStream();
        out.write(head);
        out.flush();
        long start = System.nanoTime();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        Thread reader = Thread.startVirtualThread(() -> {
            try {
                InputStream in = s.getInputStream();
                int b;
                while ((b = in.read()) >= 0) {
                    answer.write(b);
                }
            } catch (IOException reset) {
                // closed, possibly with a reset: the answer so far stands
            }
        });
        try {
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                Thread.sleep(gapMillis);
                if (!reader.isAlive()) {
                    break;
                }
            }
        } catch (IOException closedByServer) {
            // the server closed while we were still sending: what we are testing
        }
        reader.join(15_000);
        closedAfterMillis[0] = (System.nanoTime() - start) / 1_000_000;
        assertTrue(!reader.isAlive(), "the server never closed the connection");
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aHeadSentAByteAtATimeGets408WithinTheHeaderTimeout() throws Exception {
        byte[] head = "GET /v2/ HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] rest = "X-Slow-1: a\r\nX-Slow-2: b\r\nX-Slow-3: c\r\nX-Slow-4: d\r\nX-Slow-5: e\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        long[] after = new long[1];
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            // one byte every 150 ms: never idle, but the head would take 9 s
            String answer = trickle(s, head, rest, 150, after);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        }
        assertTrue(after[0] < 5_000, "closed only after " + after[0] + " ms");
    }

    @Test
    void aConnectionThatSendsNothingGets408() throws Exception {
        long[] after = new long[1];
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            String answer = trickle(s, new byte[0], new byte[0], 0, after);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        }
    }

    @Test
    void aKeptAliveConnectionMayWaitLongerThanTheHeaderTimeoutBetweenRequests() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            byte[] get = "GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            s.getOutputStream().write(get);
            assertEquals("HTTP/1.1 200", statusLine(s.getInputStream()));
            Thread.sleep(2_500);
            s.getOutputStream().write(get);
            assertEquals("HTTP/1.1 200", statusLine(s.getInputStream()));
        }
    }

    @Test
    void aBodyTrickledBelowTheMinimumRateIsDisconnected() throws Exception {
        byte[] head = ("POST /v2/slow/body/blobs/uploads/?digest=sha256:" + "0".repeat(64) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[400]; // 20 bytes/s: never idle, far below 2000 bytes/s
        long[] after = new long[1];
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            String answer = trickle(s, head, body, 50, after);
            assertEquals("", answer, "the connection is closed without an answer, as the idle timeout does");
        }
        assertTrue(after[0] >= 1_000 && after[0] < 8_000, "closed after " + after[0] + " ms");
    }

    /** Reads one response's status line and skips the rest of a small response with Content-Length. */
    private static String statusLine(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return head.substring(0, head.indexOf("\r\n")).substring(0, 12);
    }
}
