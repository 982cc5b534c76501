package io.lading.http.ecr;

import static io.lading.http.ecr.EcrTestImages.OCI_CONFIG;
import static io.lading.http.ecr.EcrTestImages.OCI_INDEX;
import static io.lading.http.ecr.EcrTestImages.OCI_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.ecr.EcrTestImages.Blob;
import io.lading.http.ecr.EcrTestImages.Pushed;
import io.lading.http.testing.LadingServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;

/**
 * Input the registry must refuse with the API's own error, pushed both ways: {@code /v2} (OCI
 * {@code errors[]}) and the ECR API through the AWS SDK for Java v2 ({@code __type}). A refused push
 * stores nothing.
 */
class BadInputOnBothPlanesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server("--auth.dataPlane=required");

    private final EcrClient ecr = EcrTestSupport.client(server);

    @AfterEach
    void closeClient() {
        ecr.close();
    }

    /** PUTs a manifest over /v2 with credentials. */
    private static HttpResponse<byte[]> v2Put(String repo, String reference, String manifest, String contentType)
            throws Exception {
        return EcrTestImages.v2(server, "PUT", "/v2/" + repo + "/manifests/" + reference,
                manifest.getBytes(StandardCharsets.UTF_8), true, "Content-Type", contentType);
    }

    /** The first {@code errors[]} entry of a /v2 error, after checking the status and code. */
    private static JsonNode v2Error(HttpResponse<byte[]> r, int status, String code) throws Exception {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), body);
        JsonNode error = JSON.readTree(r.body()).get("errors").get(0);
        assertEquals(code, error.get("code").asText(), body);
        return error;
    }

    private void assertNotStored(String repo, String manifest, String tag) {
        String digest = EcrTestImages.sha256(manifest);
        var found = ecr.batchGetImage(b -> b.repositoryName(repo).imageIds(
                ImageIdentifier.builder().imageDigest(digest).build(),
                ImageIdentifier.builder().imageTag(tag).build()));
        assertEquals(List.of(), found.images(), "a refused manifest is not stored");
    }

    /**
     * {@code manifest} is MANIFEST_INVALID on /v2 (with {@code why} in the message) and
     * InvalidParameterException on PutImage, and stored by neither.
     */
    private void assertRefusedOnBothPlanes(String repo, String manifest, String mediaType, String why)
            throws Exception {
        JsonNode error = v2Error(v2Put(repo, "refused", manifest, mediaType), 400, "MANIFEST_INVALID");
        assertTrue(error.get("message").asText().contains(why), error.toString());
        InvalidParameterException api = assertThrows(InvalidParameterException.class, () -> ecr.putImage(b -> b
                .repositoryName(repo).imageManifest(manifest).imageManifestMediaType(mediaType).imageTag("refused")));
        assertTrue(api.awsErrorDetails().errorMessage().startsWith(
                "Invalid parameter at 'ImageManifest' failed to satisfy constraint: "), api.getMessage());
        assertNotStored(repo, manifest, "refused");
    }

    // ---------------------------------------------------------------- a manifest and an index at once

    @Test
    void aDocumentThatIsBothAnImageManifestAndAnIndexIsRefusedOnBothPlanes() throws Exception {
        String repo = "bad/ambiguous";
        ecr.createRepository(b -> b.repositoryName(repo));
        Pushed child = EcrTestImages.pushImage(ecr, repo, OCI_MANIFEST, "child", "child");
        Blob config = EcrTestImages.pushBlob(ecr, repo, "{\"os\":\"linux\",\"seed\":\"ambiguous\"}");
        Blob layer = EcrTestImages.pushBlob(ecr, repo, "ambiguous layer");
        String children = "\"manifests\":[{\"mediaType\":\"" + OCI_MANIFEST + "\",\"size\":"
                + child.manifest().length() + ",\"digest\":\"" + child.digest() + "\"}]";
        String configMember = "\"config\":{\"mediaType\":\"" + OCI_CONFIG + "\",\"size\":" + config.size()
                + ",\"digest\":\"" + config.digest() + "\"}";
        String image = EcrTestImages.imageManifest(OCI_MANIFEST, config, layer);
        String index = EcrTestImages.index(List.of(child.digest()), List.of(child.manifest().length()));
        List<String[]> documents = List.of(
                new String[] {image.substring(0, image.lastIndexOf('}')) + "," + children + "}", OCI_MANIFEST},
                new String[] {index.substring(0, index.lastIndexOf('}')) + "," + configMember + "}", OCI_INDEX},
                new String[] {index.substring(0, index.lastIndexOf('}')) + ",\"layers\":[]}", OCI_INDEX},
                // no mediaType member: only the declared type would have said which half counts
                new String[] {image.replace("\"mediaType\": \"" + OCI_MANIFEST + "\",", "")
                        .replace("\n   ]\n}", "\n   ]," + children + "}"), OCI_MANIFEST});
        for (String[] doc : documents) {
            assertRefusedOnBothPlanes(repo, doc[0], doc[1], "both an image manifest");
        }
    }

    // ---------------------------------------------------------------- repeated keys

    @Test
    void aManifestThatRepeatsAKeyAtAnyDepthIsRefusedOnBothPlanes() throws Exception {
        String repo = "bad/duplicates";
        ecr.createRepository(b -> b.repositoryName(repo));
        Blob config = EcrTestImages.pushBlob(ecr, repo, "{\"os\":\"linux\",\"seed\":\"duplicates\"}");
        Blob layer = EcrTestImages.pushBlob(ecr, repo, "duplicates layer");
        Blob other = EcrTestImages.pushBlob(ecr, repo, "another layer");
        String image = EcrTestImages.imageManifest(OCI_MANIFEST, config, layer);
        List<String> manifests = List.of(
                image.replace("\"schemaVersion\": 2,", "\"schemaVersion\": 2, \"schemaVersion\": 2,"),
                // nested: the layer descriptor names two digests; a reader keeping the second would pull another blob
                image.replace("\"digest\": \"" + layer.digest() + "\"",
                        "\"digest\": \"" + layer.digest() + "\", \"digest\": \"" + other.digest() + "\""));
        for (String manifest : manifests) {
            assertRefusedOnBothPlanes(repo, manifest, OCI_MANIFEST, "repeats a key");
        }
    }

    @Test
    void anEcrRequestThatRepeatsAKeyAtAnyDepthIsASerializationException() throws Exception {
        String repo = "bad/duprequest";
        List<String> bodies = List.of(
                "{\"repositoryName\":\"" + repo + "\",\"repositoryName\":\"bad/other\"}",
                "{\"repositoryName\":\"" + repo + "\",\"imageScanningConfiguration\":"
                        + "{\"scanOnPush\":true,\"scanOnPush\":false}}",
                "{\"repositoryName\":\"" + repo + "\",\"tags\":[{\"Key\":\"team\",\"Value\":\"a\",\"Key\":\"x\"}]}");
        for (String body : bodies) {
            HttpResponse<String> r = EcrTestSupport.signedCall(server, "CreateRepository", body);
            assertEquals(400, r.statusCode(), r.body());
            JsonNode error = JSON.readTree(r.body());
            assertEquals("SerializationException", error.get("__type").asText(), r.body());
            assertEquals("SerializationException", r.headers().firstValue("x-amzn-ErrorType").orElse(null));
            assertTrue(error.get("message").asText().contains("Duplicate field"), r.body());
        }
        assertEquals(List.of(), ecr.describeRepositories().repositories().stream()
                .filter(x -> x.repositoryName().equals(repo) || x.repositoryName().equals("bad/other"))
                .toList(), "no refused request created anything");
        HttpResponse<String> ok = EcrTestSupport.signedCall(server, "CreateRepository",
                "{\"repositoryName\":\"" + repo + "\",\"imageScanningConfiguration\":{\"scanOnPush\":true}}");
        assertEquals(200, ok.statusCode(), ok.body());
    }
}
