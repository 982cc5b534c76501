package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.Client;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.RequiresClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ECR workflow with the tools users run, against a server whose /v2 requires authentication:
 * the aws CLI creates a repository and mints a registry password, skopeo logs in with it and pushes,
 * the CLI sees the image, containerd pulls it with the same credentials, immutability refuses a re-tag on
 * both planes, and the CLI deletes the image and the repository.
 */
@RequiresClient({Client.AWS_CLI, Client.SKOPEO, Client.CONTAINERD, Client.JQ, Client.OPENSSL})
class AwsCliEndToEndTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server("--auth.dataPlane=required");

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static Path work;
    private static Path images;
    private static Map<String, String> env;
    private static Path tools;
    private static String socket;
    private static boolean containerdStarted;

    @BeforeAll
    static void prepare() throws Exception {
        tools = E2e.tools();
        work = Files.createTempDirectory("lading-e2e-cli");
        images = work.resolve("images");
        env = new HashMap<>();
        env.put("SCRATCH", work.toString());
        env.put("AWS_ACCESS_KEY_ID", EcrTestSupport.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EcrTestSupport.SECRET);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.put("AWS_CONFIG_FILE", work.resolve("aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("aws-credentials").toString());
        env.put("REGISTRY_AUTH_FILE", work.resolve("auth.json").toString());
        E2e.run(Duration.ofMinutes(5), env, List.of(tools.resolve("make-images.sh").toString(), "-o", images.toString(),
                "tiny", "multiarch")).assertOk();
    }

    @AfterAll
    static void cleanUp() {
        if (containerdStarted) {
            E2e.run(Duration.ofMinutes(1), env, List.of(tools.resolve("containerd.sh").toString(), "stop"));
        }
        if (work != null) {
            E2e.deleteTree(work);
        }
    }

    private static E2e.Result aws(String... args) {
        List<String> cmd = new ArrayList<>(List.of("aws", "ecr"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--endpoint-url", "http://" + server.hostPort(), "--output", "json"));
        return E2e.run(TIMEOUT, env, cmd);
    }

    private static JsonNode awsJson(String... args) {
        return E2e.readJson(aws(args).assertOk().out().getBytes());
    }

    private static E2e.Result skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return E2e.run(TIMEOUT, env, cmd);
    }

    @Test
    void ecrWorkflowWithTheAwsCliSkopeoAndContainerd() throws Exception {
        String repo = "e2e/cli";
        String ref = server.hostPort() + "/" + repo;

        JsonNode created = awsJson("create-repository", "--repository-name", repo);
        assertEquals(ref, created.get("repository").get("repositoryUri").asText());

        String password = aws("get-login-password").assertOk().out().trim();
        assertTrue(password.length() > 20 && !password.contains(":"), password);
        skopeo("login", "--tls-verify=false", "--username", "AWS", "--password", password, server.hostPort()).assertOk();

        // without credentials the push is refused; with the login it goes through
        E2e.Result anonymous = E2e.run(TIMEOUT, Map.of("REGISTRY_AUTH_FILE", work.resolve("empty.json").toString()),
                List.of("skopeo", "copy", "--dest-tls-verify=false", "oci:" + images.resolve("tiny") + ":latest",
                        "docker://" + ref + ":anon"));
        assertNotEquals(0, anonymous.exit());
        skopeo("copy", "--preserve-digests", "--dest-tls-verify=false", "oci:" + images.resolve("tiny") + ":latest",
                "docker://" + ref + ":v1").assertOk();
        String tinyDigest = E2e.layoutDigest(images.resolve("tiny"), "latest");

        JsonNode described = awsJson("describe-images", "--repository-name", repo);
        JsonNode detail = described.get("imageDetails").get(0);
        assertEquals(tinyDigest, detail.get("imageDigest").asText());
        assertEquals("v1", detail.get("imageTags").get(0).asText());
        assertTrue(detail.get("imageSizeInBytes").asLong() > 0);
        assertTrue(detail.has("imagePushedAt"));
        JsonNode listed = awsJson("list-images", "--repository-name", repo);
        assertEquals("v1", listed.get("imageIds").get(0).get("imageTag").asText());

        pullWithContainerd(ref + ":v1", password, tinyDigest);

        // immutability: a re-tag is refused on the data plane and on the control plane
        awsJson("put-image-tag-mutability", "--repository-name", repo, "--image-tag-mutability", "IMMUTABLE");
        skopeo("copy", "--all", "--preserve-digests", "--dest-tls-verify=false",
                "oci:" + images.resolve("multiarch") + ":latest", "docker://" + ref + ":other").assertOk();
        E2e.Result retag = skopeo("copy", "--all", "--preserve-digests", "--dest-tls-verify=false",
                "oci:" + images.resolve("multiarch") + ":latest", "docker://" + ref + ":v1");
        assertNotEquals(0, retag.exit(), retag.describe());
        JsonNode other = awsJson("batch-get-image", "--repository-name", repo, "--image-ids", "imageTag=other");
        String otherManifest = other.get("images").get(0).get("imageManifest").asText();
        String otherType = other.get("images").get(0).get("imageManifestMediaType").asText();
        // skopeo reports the refusal as a failed format fallback; the registry's own answer is TAG_INVALID
        var put = E2e.httpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://" + ref.replaceFirst("/", "/v2/") + "/manifests/v1"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        ("AWS:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .header("Content-Type", otherType)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(otherManifest)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, put.statusCode(), put.body());
        JsonNode error = E2e.readJson(put.body().getBytes()).get("errors").get(0);
        assertEquals("TAG_INVALID", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("cannot be overwritten because the tag is immutable"));
        Path manifestFile = work.resolve("other.json");
        Files.writeString(manifestFile, otherManifest);
        E2e.Result putImage = aws("put-image", "--repository-name", repo, "--image-tag", "v1",
                "--image-manifest", "file://" + manifestFile);
        assertNotEquals(0, putImage.exit());
        assertTrue(putImage.stderr().contains("ImageTagAlreadyExistsException"), putImage.describe());

        JsonNode deleted = awsJson("batch-delete-image", "--repository-name", repo, "--image-ids", "imageTag=v1");
        assertEquals(tinyDigest, deleted.get("imageIds").get(0).get("imageDigest").asText());
        assertEquals(0, deleted.get("failures").size());
        assertNotEquals(0, skopeo("inspect", "--tls-verify=false", "docker://" + ref + ":v1").exit());

        awsJson("delete-repository", "--repository-name", repo, "--force");
        E2e.Result gone = aws("describe-repositories", "--repository-names", repo);
        assertNotEquals(0, gone.exit());
        assertTrue(gone.stderr().contains("RepositoryNotFoundException"), gone.describe());
    }

    /** ctr pulls with the registry password, the path a Kubernetes node's containerd takes. */
    private static void pullWithContainerd(String image, String password, String digest) {
        env.put("CONTAINERD_INSECURE", server.hostPort());
        E2e.Result start = E2e.run(Duration.ofMinutes(1), env, List.of(tools.resolve("containerd.sh").toString(), "start"));
        containerdStarted = true;
        start.assertOk();
        String addr = E2e.run(Duration.ofSeconds(30), env, List.of(tools.resolve("containerd.sh").toString(), "env"))
                .assertOk().out().trim();
        socket = addr.substring("CONTAINERD_ADDRESS=".length());
        E2e.Result refused = E2e.run(TIMEOUT, env, List.of("ctr", "--address", socket, "-n", "cli-anon", "images",
                "pull", "--plain-http", image));
        assertNotEquals(0, refused.exit(), "a pull without credentials must fail");
        E2e.run(TIMEOUT, env, List.of("ctr", "--address", socket, "-n", "cli", "images", "pull", "--plain-http",
                "--user", "AWS:" + password, image)).assertOk();
        String listed = E2e.run(TIMEOUT, env, List.of("ctr", "--address", socket, "-n", "cli", "images", "ls"))
                .assertOk().out();
        assertTrue(listed.contains(digest), listed);
    }
}
