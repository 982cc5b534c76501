package io.lading.http.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.testing.LadingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A blob uploaded for a manifest not yet pushed is younger than the grace period and survives GC. */
class GarbageCollectionGraceTest {

    @RegisterExtension
    static LadingServer server = new LadingServer("--lifecycle.gcGracePeriod=PT1H");

    @Test
    void keepsUnreferencedBlobsYoungerThanTheGracePeriod() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        byte[] layer = "a layer whose manifest is still on its way".getBytes();
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(layer));
        assertEquals(201, http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/grace/repo/blobs/uploads/?digest="
                + digest)).header("Authorization", io.lading.http.testing.TestHttp.TESTER_AUTHORIZATION).POST(HttpRequest.BodyPublishers.ofByteArray(layer)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        var report = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(server.baseUri()
                + "/_lading/gc")).header("Authorization", io.lading.http.testing.TestHttp.TESTER_AUTHORIZATION).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(0, report.get("blobsDeleted").asInt());
        assertTrue(report.get("blobsInGrace").asInt() >= 1, report.toString());
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/grace/repo/blobs/" + digest)).header("Authorization", io.lading.http.testing.TestHttp.TESTER_AUTHORIZATION)
                .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode());
    }
}
