package io.lading.http.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewResult;

/**
 * The expirer with indexes: an expired index takes its children with it when nothing else refers to
 * them, and leaves a child that another index still lists; a dry run changes nothing.
 */
class LifecycleExpirerTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server("--auth.dataPlane=required");

    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    private static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            (EcrTestSupport.ACCESS_KEY + ":" + EcrTestSupport.SECRET).getBytes(StandardCharsets.UTF_8));
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path)).header("Authorization", BASIC)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private String put(String repo, String ref, String body, String type) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertEquals(201, send("PUT", "/v2/" + repo + "/manifests/" + ref, bytes, type).statusCode());
        return sha256(bytes);
    }

    /** A child image manifest pushed by digest; returns a descriptor JSON for an index. */
    private String child(String repo, String arch) throws Exception {
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"" + arch + "\"}").getBytes(StandardCharsets.UTF_8);
        String cd = sha256(config);
        assertEquals(201, send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + cd, config, null).statusCode());
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + cd + "\",\"size\":" + config.length
                + "},\"layers\":[]}";
        String digest = sha256(manifest.getBytes(StandardCharsets.UTF_8));
        put(repo, digest, manifest, OCI);
        return "{\"mediaType\":\"" + OCI + "\",\"digest\":\"" + digest + "\",\"size\":"
                + manifest.getBytes(StandardCharsets.UTF_8).length + ",\"platform\":{\"os\":\"linux\",\"architecture\":\""
                + arch + "\"}}";
    }

    private int status(String repo, String ref) throws Exception {
        return send("HEAD", "/v2/" + repo + "/manifests/" + ref, null, null).statusCode();
    }

    @Test
    void anExpiredIndexTakesOnlyItsUnsharedChildren() throws Exception {
        String repo = "lc/index";
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            ecr.createRepository(b -> b.repositoryName(repo));
            String shared = child(repo, "amd64");
            String onlyOld = child(repo, "arm64");
            String onlyNew = child(repo, "s390x");
            String oldIndex = put(repo, "idx-1", "{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":["
                    + shared + "," + onlyOld + "]}", INDEX);
            put(repo, "idx-2", "{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":["
                    + shared + "," + onlyNew + "]}", INDEX);
            ecr.putLifecyclePolicy(b -> b.repositoryName(repo).lifecyclePolicyText("""
                    {"rules":[{"rulePriority":1,"description":"keep the newest index",
                     "selection":{"tagStatus":"tagged","tagPrefixList":["idx"],"countType":"imageCountMoreThan","countNumber":1},
                     "action":{"type":"expire"}}]}"""));
            int before = ecr.describeImages(b -> b.repositoryName(repo)).imageDetails().size();
            assertEquals(5, before);

            var dry = new ObjectMapper().readTree(send("POST", "/_lading/expire?dryRun=true", null, null).body());
            assertEquals(2, dry.get("imagesExpired").asInt(), dry.toString()); // counts what the run will do
            assertEquals(5, ecr.describeImages(b -> b.repositoryName(repo)).imageDetails().size());

            var run = new ObjectMapper().readTree(send("POST", "/_lading/expire", null, null).body());
            assertEquals(2, run.get("imagesExpired").asInt(), run.toString()); // the index and its unshared child
            assertEquals(404, status(repo, oldIndex));
            assertEquals(404, status(repo, sha256Of(onlyOld)));
            assertEquals(200, status(repo, sha256Of(shared)));
            assertEquals(200, status(repo, "idx-2"));
            assertEquals(3, ecr.describeImages(b -> b.repositoryName(repo)).imageDetails().size());
        }
    }

    /**
     * More images than one page of the evaluation (500): the preview lists exactly the images beyond the
     * newest 90 in push order, and the expirer deletes exactly those, across the page boundary.
     */
    @Test
    void aRepositoryOfSeveralPagesIsPreviewedAndExpiredWhole() throws Exception {
        String repo = "lc/pages";
        int images = 620;
        int keep = 90;
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            ecr.createRepository(b -> b.repositoryName(repo));
            byte[] config = "{\"os\":\"linux\",\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8);
            String cd = sha256(config);
            assertEquals(201, send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + cd, config, null).statusCode());
            List<String> pushed = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                // one push after another: each is stored (and its push time taken) before the next is sent
                pushed.add(put(repo, "b-" + i, "{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":"
                        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + cd + "\",\"size\":" + config.length
                        + "},\"layers\":[],\"annotations\":{\"n\":\"" + i + "\"}}", OCI));
            }
            String policy = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"b\"],"
                    + "\"countType\":\"imageCountMoreThan\",\"countNumber\":" + keep + "},\"action\":{\"type\":\"expire\"}}]}";
            ecr.putLifecyclePolicy(b -> b.repositoryName(repo).lifecyclePolicyText(policy));
            ecr.startLifecyclePolicyPreview(b -> b.repositoryName(repo));
            var preview = ecr.getLifecyclePolicyPreviewPaginator(b -> b.repositoryName(repo).maxResults(100));
            assertEquals(pushed.subList(0, images - keep), preview.previewResults().stream()
                    .map(LifecyclePolicyPreviewResult::imageDigest).toList(), "every image but the newest 90, in push order");
            assertEquals(images - keep, ecr.getLifecyclePolicyPreview(b -> b.repositoryName(repo).maxResults(1))
                    .summary().expiringImageTotalCount());

            var run = new ObjectMapper().readTree(send("POST", "/_lading/expire", null, null).body());
            assertEquals(images - keep, run.get("imagesExpired").asInt(), run.toString());
            for (int i = 0; i < images; i++) {
                assertEquals(i < images - keep ? 404 : 200, status(repo, pushed.get(i)), "image " + i);
            }
        }
    }

    private static String sha256Of(String descriptor) throws Exception {
        return new ObjectMapper().readTree(descriptor).get("digest").asText();
    }
}
