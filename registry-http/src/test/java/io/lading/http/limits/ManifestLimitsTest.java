package io.lading.http.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;

/**
 * {@code registry.manifestMaxDescriptors} and {@code registry.indexMaxDepth} at their defaults (1,000 and 8),
 * with authentication on: a manifest over either is refused with {@code 400 MANIFEST_INVALID} on /v2 and
 * {@code InvalidParameterException} on PutImage, naming the limit and the key; nothing is stored.
 */
class ManifestLimitsTest {

    @RegisterExtension
    static final LadingServer server = EcrTestSupport.server();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String CONFIG = "application/vnd.oci.image.config.v1+json";

    private final TestHttp http = new TestHttp(server);
    private static EcrClient ecr;

    private static EcrClient ecr() {
        if (ecr == null) {
            ecr = EcrTestSupport.client(server);
        }
        return ecr;
    }

    @AfterAll
    static void close() {
        if (ecr != null) {
            ecr.close();
        }
    }

    private static String desc(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private String blob(String repo, byte[] bytes) {
        String digest = TestHttp.sha256(bytes);
        HttpResponse<byte[]> r = http.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, bytes,
                "application/octet-stream");
        assertEquals(201, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        return digest;
    }

    /** An OCI image manifest with {@code layers} layers, each the same pushed blob. */
    private String image(String repo, int layers) {
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"repo\":\"" + repo + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("one layer of " + repo).getBytes(StandardCharsets.UTF_8);
        String c = blob(repo, config);
        String l = blob(repo, layer);
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = 0; i < layers; i++) {
            j.add(desc(LAYER, l, layer.length));
        }
        return "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + desc(CONFIG, c, config.length)
                + ",\"layers\":" + j + "}";
    }

    private HttpResponse<byte[]> put(String repo, String ref, String manifest, String type) {
        return http.send("PUT", "/v2/" + repo + "/manifests/" + ref, manifest.getBytes(StandardCharsets.UTF_8), type);
    }

    /**
     * {@code 400 MANIFEST_INVALID} on /v2 and {@code InvalidParameterException} on PutImage, each message
     * naming {@code key} and containing {@code phrases}.
     */
    private void assertRefusedOnBothPlanes(String repo, String tag, String manifest, String type, String key,
            String... phrases) throws Exception {
        HttpResponse<byte[]> r = put(repo, tag, manifest, type);
        assertEquals(400, r.statusCode());
        JsonNode error = JSON.readTree(r.body()).get("errors").get(0);
        assertEquals("MANIFEST_INVALID", error.get("code").asText());
        String message = error.get("message").asText();
        assertTrue(message.contains(key), message);
        for (String phrase : phrases) {
            assertTrue(message.contains(phrase), message);
        }
        InvalidParameterException api = assertThrows(InvalidParameterException.class,
                () -> ecr().putImage(b -> b.repositoryName(repo).imageManifest(manifest).imageTag(tag)));
        String apiMessage = api.awsErrorDetails().errorMessage();
        assertTrue(apiMessage.startsWith("Invalid parameter at 'ImageManifest' failed to satisfy constraint: ")
                && apiMessage.contains(key), apiMessage);
    }

    @Test
    void aManifestWithMoreDescriptorsThanTheLimitIsRefusedOnBothPlanes() throws Exception {
        String repo = "limits/descriptors";
        String atLimit = image(repo, 999); // 999 layers + config
        assertEquals(201, put(repo, "ok", atLimit, OCI_MANIFEST).statusCode());

        String over = image(repo, 1000);
        assertRefusedOnBothPlanes(repo, "over", over, OCI_MANIFEST, "registry.manifestMaxDescriptors",
                "1001 descriptors", "maximum is 1000");
        assertEquals(404, http.send("GET", "/v2/" + repo + "/manifests/over", null, null).statusCode(),
                "nothing was stored");
    }

    @Test
    void anIndexNestedDeeperThanTheLimitIsRefusedOnBothPlanes() throws Exception {
        String repo = "limits/depth";
        String image = image(repo, 1);
        HttpResponse<byte[]> pushed = put(repo, "base", image, OCI_MANIFEST);
        assertEquals(201, pushed.statusCode());
        String child = pushed.headers().firstValue("Docker-Content-Digest").orElseThrow();
        String childType = OCI_MANIFEST;
        int childSize = image.getBytes(StandardCharsets.UTF_8).length;
        for (int depth = 1; depth <= 8; depth++) {
            String index = index(childType, child, childSize, depth);
            HttpResponse<byte[]> r = put(repo, "depth" + depth, index, OCI_INDEX);
            assertEquals(201, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
            child = r.headers().firstValue("Docker-Content-Digest").orElseThrow();
            childType = OCI_INDEX;
            childSize = index.getBytes(StandardCharsets.UTF_8).length;
        }
        String tooDeep = index(childType, child, childSize, 9);
        assertRefusedOnBothPlanes(repo, "depth9", tooDeep, OCI_INDEX, "registry.indexMaxDepth", "depth 9",
                "maximum of 8");

        // the depth of stored indexes is known again after a restart
        server.stop();
        server.start();
        assertEquals(400, put(repo, "depth9", tooDeep, OCI_INDEX).statusCode());
        // a shallow index next to the deep one is fine
        String shallow = index(OCI_MANIFEST, pushed.headers().firstValue("Docker-Content-Digest").orElseThrow(),
                image.getBytes(StandardCharsets.UTF_8).length, 100);
        assertEquals(201, put(repo, "shallow", shallow, OCI_INDEX).statusCode());
        ecr.close();
        ecr = null;
    }

    private static String index(String childType, String child, int childSize, int marker) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[" + desc(childType, child, childSize)
                + "],\"annotations\":{\"level\":\"" + marker + "\"}}";
    }
}
