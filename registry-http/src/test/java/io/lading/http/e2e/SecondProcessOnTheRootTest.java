package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second Lading process pointed at a root that one is serving must leave it alone: before the root
 * lock, its start-up emptied the first one's {@code tmp/} and every open upload then failed.
 */
@Tag("embedded-only") // the root lock guards the embedded database; nodes on PostgreSQL share a root by design
class SecondProcessOnTheRootTest {

    @TempDir
    Path work;

    @Test
    void aSecondProcessExitsAtOnceNamingTheHolderAndTheFirstKeepsItsUploads() throws Exception {
        Path data = Files.createDirectories(work.resolve("data"));
        try (SubprocessServer first = new SubprocessServer(data, work.resolve("first.log"), "128m").start()) {
            HttpClient http = E2e.httpClient();
            HttpResponse<Void> started = http.send(HttpRequest.newBuilder(first.uri("/v2/lock/test/blobs/uploads/"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(202, started.statusCode());
            String session = started.headers().firstValue("Location").orElseThrow();
            byte[] part = "bytes the first process holds in its temp space".getBytes(StandardCharsets.UTF_8);
            HttpResponse<Void> patched = http.send(HttpRequest.newBuilder(first.uri(session))
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(part))
                    .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(202, patched.statusCode());

            SubprocessServer second = new SubprocessServer(data, work.resolve("second.log"), "128m");
            IllegalStateException refused = assertThrows(IllegalStateException.class, second::start);
            assertTrue(refused.getMessage().startsWith("server exited with 1"), refused.getMessage());
            String log = second.log();
            assertTrue(log.contains("lading: storage root " + data.toRealPath() + " is in use by another Lading"
                    + " process (pid " + first.process().pid()), log);
            assertTrue(!log.contains("\tat "), "one line, no stack trace:\n" + log);

            String digest = E2e.digestOf(part);
            String sep = session.contains("?") ? "&" : "?";
            HttpResponse<String> done = http.send(HttpRequest.newBuilder(first.uri(session + sep + "digest=" + digest))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, done.statusCode(), done.body());
            HttpResponse<byte[]> pulled = http.send(HttpRequest.newBuilder(first.uri("/v2/lock/test/blobs/" + digest))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, pulled.statusCode());
            assertEquals(digest, E2e.digestOf(pulled.body()));
        }
    }
}
