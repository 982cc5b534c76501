package io.lading.http.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Operator endpoints declare their query parameters: a misspelt safety flag ({@code dryrun} for
 * {@code dryRun}) is a {@code 400} naming it and does nothing, as is a bad value or a repeated flag.
 */
class AdminParametersTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server("--auth.dataPlane=required", "--lifecycle.gcGracePeriod=PT0S");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    private final TestHttp http = new TestHttp(server);

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType) {
        return http.send(method, path, body, contentType);
    }

    private static String sha256(byte[] b) {
        return TestHttp.sha256(b);
    }

    private void pushImage(String repo, String tag) throws Exception {
        byte[] config = ("{\"tag\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
        String cd = sha256(config);
        assertEquals(201, send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + cd, config, null).statusCode());
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + cd + "\",\"size\":" + config.length
                + "},\"layers\":[]}";
        assertEquals(201, send("PUT", "/v2/" + repo + "/manifests/" + tag, manifest.getBytes(StandardCharsets.UTF_8),
                OCI).statusCode());
    }

    private static void assertBadParameter(HttpResponse<byte[]> r, String named) throws Exception {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(400, r.statusCode(), body);
        JsonNode error = JSON.readTree(body).get("errors").get(0);
        assertTrue(error.get("message").asText().contains(named), body);
    }

    @Test
    void aMisspeltDryRunFlagExpiresNothing() throws Exception {
        String repo = "admin-params/expire";
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            ecr.createRepository(b -> b.repositoryName(repo));
            pushImage(repo, "old");
            pushImage(repo, "new");
            ecr.putLifecyclePolicy(b -> b.repositoryName(repo).lifecyclePolicyText("""
                    {"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan",
                    "countNumber":1},"action":{"type":"expire"}}]}"""));

            assertBadParameter(send("POST", "/_lading/expire?dryrun=true", null, null), "dryrun");
            assertBadParameter(send("POST", "/_lading/expire?dryRun=yes", null, null), "dryRun");
            assertBadParameter(send("POST", "/_lading/expire?dryRun=true&dryRun=false", null, null), "dryRun");
            assertEquals(2, ecr.listImages(b -> b.repositoryName(repo)).imageIds().size());

            // the policy would have acted: a real run expires the older image
            assertEquals(200, send("POST", "/_lading/expire?dryRun=false", null, null).statusCode());
            assertEquals(1, ecr.listImages(b -> b.repositoryName(repo)).imageIds().size());
        }
    }

    @Test
    void aMisspeltDryRunFlagCollectsNothing() throws Exception {
        String repo = "admin-params/gc";
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            ecr.createRepository(b -> b.repositoryName(repo));
        }
        byte[] orphan = "an unreferenced blob".getBytes(StandardCharsets.UTF_8);
        String digest = sha256(orphan);
        assertEquals(201, send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, orphan, null).statusCode());

        assertBadParameter(send("POST", "/_lading/gc?dryrun=true", null, null), "dryrun");
        assertBadParameter(send("POST", "/_lading/gc?dryRun=", null, null), "dryRun");
        assertEquals(200, send("HEAD", "/v2/" + repo + "/blobs/" + digest, null, null).statusCode());
    }

    @Test
    void reportsTakeNoParametersAndOneMethod() throws Exception {
        assertBadParameter(send("GET", "/_lading/metrics?verbose=1", null, null), "verbose");
        assertEquals(405, send("POST", "/_lading/metrics", null, null).statusCode());
        assertEquals(405, send("GET", "/_lading/gc", null, null).statusCode());
        assertEquals(404, send("POST", "/_lading/nothing", null, null).statusCode());
        assertEquals(200, send("GET", "/_lading/metrics", null, null).statusCode());
    }
}
