package io.lading.http.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.StoredMetadata;
import io.lading.http.testing.TestHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * {@code POST /_lading/rotate-signing-key}: after one rotation, registry passwords and presigned URLs
 * issued before it still work and new ones are signed with the new key; after a second rotation the old
 * ones are refused at once (no cached verification outlives the key); the ring survives a restart; the
 * report names keys by id and never carries one.
 */
class SigningKeyRotationTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server("--auth.dataPlane=required");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPO = "rotation/app";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private final TestHttp http = new TestHttp(server);
    private final HttpClient anonymous = HttpClient.newHttpClient();

    @Test
    void oneRotationKeepsOutstandingCredentialsAndTheSecondRetiresThem() throws Exception {
        byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
        String digest = TestHttp.sha256(layer);
        String password0;
        String url0;
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            ecr.createRepository(b -> b.repositoryName(REPO));
            pushImage(layer, digest);
            password0 = password(ecr);
            url0 = downloadUrl(ecr, digest);
            assertEquals(200, catalog(password0));
            assertEquals(200, fetch(url0));

            JsonNode first = rotate();
            String password1 = password(ecr);
            String url1 = downloadUrl(ecr, digest);
            assertNotEquals(password0, password1);
            assertEquals(200, catalog(password0), "a password from before one rotation still works");
            assertEquals(200, fetch(url0), "a presigned URL from before one rotation still works");
            assertEquals(200, catalog(password1));
            assertEquals(200, fetch(url1));

            JsonNode second = rotate();
            assertEquals(first.get("keyId").asText(), second.get("previousKeyId").asText());
            assertEquals(first.get("previousKeyId").asText(), second.get("retiredKeyId").asText());
            assertRefused(password0);
            assertEquals(403, fetch(url0), "a presigned URL from before two rotations is refused");
            assertEquals(200, catalog(password1));
            assertEquals(200, fetch(url1));

            // the ring is stored: a restarted server still accepts the previous key's passwords only
            server.stop();
            server.start();
            assertEquals(200, catalog(password1));
            assertRefused(password0);
        }
    }

    @Test
    void theReportNamesKeysByIdAndNeverCarriesOne() throws Exception {
        JsonNode report = rotate();
        assertTrue(report.get("keyId").asText().matches("[0-9a-f]{16}"), report.toString());
        assertTrue(report.get("previousKeyId").asText().matches("[0-9a-f]{16}"), report.toString());
        assertTrue(report.get("rotatedAt").asText().endsWith("Z"), report.toString());
        JsonNode ring = JSON.readTree(StoredMetadata.signingKeyRing(server.dataDir()));
        for (JsonNode key : ring.findValues("key")) {
            assertFalse(report.toString().contains(key.asText()), report.toString());
        }
    }

    @Test
    void onlyAPostWithoutParametersRotates() throws Exception {
        String before = currentRing();
        assertEquals(405, http.send("GET", "/_lading/rotate-signing-key", null, null).statusCode());
        assertEquals(400, http.send("POST", "/_lading/rotate-signing-key?dryRun=true", null, null).statusCode());
        assertEquals(401, anonymous.send(HttpRequest.newBuilder(URI.create(server.baseUri()
                + "/_lading/rotate-signing-key")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(before, currentRing());
    }

    /** Pushes an image whose one layer is {@code layer}, so that GetDownloadUrlForLayer serves it. */
    private void pushImage(byte[] layer, String digest) {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String configDigest = TestHttp.sha256(config);
        for (var blob : java.util.Map.of(digest, layer, configDigest, config).entrySet()) {
            assertEquals(201, http.send("POST", "/v2/" + REPO + "/blobs/uploads/?digest=" + blob.getKey(),
                    blob.getValue(), null).statusCode());
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":"
                + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + digest + "\",\"size\":" + layer.length + "}]}";
        assertEquals(201, http.send("PUT", "/v2/" + REPO + "/manifests/1", manifest.getBytes(StandardCharsets.UTF_8),
                OCI_MANIFEST).statusCode());
    }

    private String currentRing() throws Exception {
        return StoredMetadata.signingKeyRing(server.dataDir());
    }

    private JsonNode rotate() throws Exception {
        HttpResponse<byte[]> r = http.send("POST", "/_lading/rotate-signing-key", null, null);
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(200, r.statusCode(), body);
        return JSON.readTree(body);
    }

    private static String password(EcrClient ecr) {
        String token = ecr.getAuthorizationToken().authorizationData().get(0).authorizationToken();
        String decoded = new String(java.util.Base64.getDecoder().decode(token), StandardCharsets.US_ASCII);
        return decoded.substring("AWS:".length());
    }

    private static String downloadUrl(EcrClient ecr, String digest) {
        return ecr.getDownloadUrlForLayer(b -> b.repositoryName(REPO).layerDigest(digest)).downloadUrl();
    }

    private int catalog(String password) {
        return new TestHttp(server, "AWS", password).send("GET", "/v2/_catalog", null, null).statusCode();
    }

    /** As ECR does, a password that is not valid (here: signed by a retired key) is 403 with this message. */
    private void assertRefused(String password) throws Exception {
        HttpResponse<byte[]> r = new TestHttp(server, "AWS", password).send("GET", "/v2/_catalog", null, null);
        assertEquals(403, r.statusCode());
        assertEquals("Your authorization token is invalid.",
                JSON.readTree(r.body()).get("errors").get(0).get("message").asText());
    }

    private int fetch(String url) throws Exception {
        return anonymous.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
