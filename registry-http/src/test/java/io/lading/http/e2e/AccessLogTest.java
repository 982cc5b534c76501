package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access log on standard output reports the body bytes each response sent, blobs included. */
class AccessLogTest {

    @TempDir
    Path work;

    @Test
    void eachLineCarriesTheBodyBytesSent() throws Exception {
        byte[] blob = new byte[70_000];
        new java.util.Random(7).nextBytes(blob);
        String digest = E2e.digestOf(blob);
        // the shipped logging configuration (the tests' own turns the access log off)
        try (SubprocessServer server = SubprocessServer.fresh(work, "-Dlogback.configurationFile=logback.xml").start()) {
            HttpClient http = E2e.httpClient();
            String path = "/v2/log/test/blobs/" + digest;
            assertEquals(201, http.send(HttpRequest.newBuilder(server.uri("/v2/log/test/blobs/uploads/?digest=" + digest))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode());
            assertEquals(200, http.send(HttpRequest.newBuilder(server.uri(path)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(206, http.send(HttpRequest.newBuilder(server.uri(path)).header("Range", "bytes=100-199")
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(200, http.send(HttpRequest.newBuilder(server.uri(path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode());

            Pattern line = Pattern.compile(" access \\S+ (GET|HEAD) " + Pattern.quote(path) + " (\\d{3}) (\\S+) \\d+us");
            List<String> seen = awaitLines(server, line, 3);
            assertEquals(List.of("GET 200 70000", "GET 206 100", "HEAD 200 0"), seen, server.log());
        }
    }

    /** The first {@code n} access lines for the blob, as "METHOD STATUS BYTES", waiting for the writer. */
    private static List<String> awaitLines(SubprocessServer server, Pattern line, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<String> found = new java.util.ArrayList<>();
            Matcher m = line.matcher(server.log());
            while (m.find()) {
                found.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
            }
            if (found.size() >= n || System.nanoTime() > deadline) {
                assertTrue(found.size() >= n, "access lines: " + found + "\n" + server.log());
                return found.subList(0, n);
            }
            server.process().waitFor(50, TimeUnit.MILLISECONDS);
        }
    }
}
