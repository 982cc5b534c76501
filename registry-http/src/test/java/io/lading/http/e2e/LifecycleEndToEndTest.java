package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.Client;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.RequiresClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lifecycle end to end with the aws CLI: put a policy, preview it, run the expirer, see the survivors in
 * describe-images, then let garbage collection free the expired images' unique blobs (disk usage drops by
 * their size) while the blobs shared with the survivor stay pullable.
 */
@RequiresClient(Client.AWS_CLI)
class LifecycleEndToEndTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server("--auth.dataPlane=required", "--lifecycle.gcGracePeriod=PT0S");

    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            (EcrTestSupport.ACCESS_KEY + ":" + EcrTestSupport.SECRET).getBytes(StandardCharsets.UTF_8));
    private static Path work;
    private static Map<String, String> env;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void prepare() throws Exception {
        work = Files.createTempDirectory("lading-e2e-lifecycle");
        env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", EcrTestSupport.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EcrTestSupport.SECRET);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.put("AWS_CONFIG_FILE", work.resolve("aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("aws-credentials").toString());
    }

    @AfterAll
    static void cleanUp() {
        if (work != null) {
            E2e.deleteTree(work);
        }
    }

    private static JsonNode aws(String... args) {
        List<String> cmd = new ArrayList<>(List.of("aws", "ecr"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--endpoint-url", "http://" + server.hostPort(), "--output", "json"));
        E2e.Result r = E2e.run(Duration.ofMinutes(2), env, cmd).assertOk();
        String out = r.out().trim();
        return out.isEmpty() ? E2e.JSON.createObjectNode() : E2e.readJson(out.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path)).header("Authorization", BASIC)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String pushBlob(String repo, byte[] bytes) throws Exception {
        String d = E2e.digestOf(bytes);
        assertEquals(201, send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, bytes, null).statusCode());
        return d;
    }

    /** Pushes an image with a shared layer and a unique one; returns its digest. */
    private String pushImage(String repo, String tag, byte[] shared, byte[] unique) throws Exception {
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"tag\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + pushBlob(repo, config) + "\",\"size\":"
                + config.length + "},\"layers\":[" + layer(pushBlob(repo, shared), shared.length) + ","
                + layer(pushBlob(repo, unique), unique.length) + "]}";
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        assertEquals(201, send("PUT", "/v2/" + repo + "/manifests/" + tag, bytes, OCI).statusCode());
        return E2e.digestOf(bytes);
    }

    private static String layer(String digest, long size) {
        return "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + digest + "\",\"size\":"
                + size + "}";
    }

    private static long blobBytesOnDisk() throws Exception {
        try (Stream<Path> files = Files.walk(server.dataDir().resolve("blobs"))) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void policyPreviewExpireAndCollect() throws Exception {
        String repo = "e2e/lifecycle";
        aws("create-repository", "--repository-name", repo);
        Random random = new Random(7);
        byte[] shared = new byte[150_000];
        random.nextBytes(shared);
        Map<String, String> digests = new LinkedHashMap<>();
        Map<String, byte[]> unique = new LinkedHashMap<>();
        for (String tag : List.of("release-1", "release-2", "release-3")) {
            byte[] u = new byte[250_000];
            random.nextBytes(u);
            unique.put(tag, u);
            digests.put(tag, pushImage(repo, tag, shared, u));
        }

        String policy = """
                {"rules":[{"rulePriority":1,"description":"keep the newest release",
                 "selection":{"tagStatus":"tagged","tagPrefixList":["release"],"countType":"imageCountMoreThan","countNumber":1},
                 "action":{"type":"expire"}}]}""";
        Path policyFile = work.resolve("policy.json");
        Files.writeString(policyFile, policy);
        aws("put-lifecycle-policy", "--repository-name", repo, "--lifecycle-policy-text", "file://" + policyFile);

        JsonNode started = aws("start-lifecycle-policy-preview", "--repository-name", repo);
        assertTrue(Set.of("IN_PROGRESS", "COMPLETE").contains(started.get("status").asText()));
        JsonNode preview = aws("get-lifecycle-policy-preview", "--repository-name", repo);
        assertEquals("COMPLETE", preview.get("status").asText());
        Set<String> previewed = new TreeSet<>();
        preview.get("previewResults").forEach(r -> {
            previewed.add(r.get("imageDigest").asText());
            assertEquals("EXPIRE", r.get("action").get("type").asText());
            assertEquals(1, r.get("appliedRulePriority").asInt());
        });
        assertEquals(new TreeSet<>(List.of(digests.get("release-1"), digests.get("release-2"))), previewed);
        assertEquals(2, preview.get("summary").get("expiringImageTotalCount").asInt());

        HttpResponse<byte[]> expired = send("POST", "/_lading/expire", null, null);
        assertEquals(200, expired.statusCode(), new String(expired.body()));
        assertEquals(2, E2e.readJson(expired.body()).get("imagesExpired").asInt());

        JsonNode described = aws("describe-images", "--repository-name", repo);
        assertEquals(1, described.get("imageDetails").size());
        assertEquals(digests.get("release-3"), described.get("imageDetails").get(0).get("imageDigest").asText());

        long before = blobBytesOnDisk();
        JsonNode mark = E2e.readJson(send("POST", "/_lading/gc", null, null).body()); // phase one marks
        assertEquals(0, mark.get("blobsDeleted").asInt(), mark.toString());
        JsonNode gc = E2e.readJson(send("POST", "/_lading/gc", null, null).body()); // phase two deletes
        long freed = gc.get("bytesFreed").asLong();
        assertTrue(freed >= 2L * 250_000, gc.toString());
        assertEquals(before - freed, blobBytesOnDisk(), "disk usage drops by the freed bytes");

        // the survivor pulls completely, shared layer included; the expired unique layers are gone
        HttpResponse<byte[]> manifest = send("GET", "/v2/" + repo + "/manifests/release-3", null, null);
        assertEquals(200, manifest.statusCode());
        assertArrayEquals(shared, send("GET", "/v2/" + repo + "/blobs/" + E2e.digestOf(shared), null, null).body());
        assertArrayEquals(unique.get("release-3"),
                send("GET", "/v2/" + repo + "/blobs/" + E2e.digestOf(unique.get("release-3")), null, null).body());
        assertEquals(404, send("GET", "/v2/" + repo + "/blobs/" + E2e.digestOf(unique.get("release-1")), null, null)
                .statusCode());
    }
}
