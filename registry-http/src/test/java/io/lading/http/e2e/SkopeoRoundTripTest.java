package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.http.testing.Client;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.RequiresClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * skopeo (the containers/image library that podman, buildah and CRI-O use) against a live Lading:
 * images built by the project's {@code tools/make-images.sh} are pushed from OCI layouts and pulled back, and
 * must come back byte for byte; plus the OCI 1.1 referrers API, tag listing, cross-repository copy
 * (blob mount) and delete by digest.
 */
@RequiresClient({Client.SKOPEO, Client.JQ, Client.OPENSSL})
class SkopeoRoundTripTest {

    @RegisterExtension
    static LadingServer server = new LadingServer();

    private static final Duration SKOPEO_TIMEOUT = Duration.ofMinutes(3);
    private static final String SIG_TYPE = "application/vnd.example.signature.v1+json";

    private static Path work;
    private static Path images;
    private static Map<String, String> env;
    private static final Set<String> pushed = new HashSet<>();
    private static final HttpClient http = E2e.httpClient();

    @BeforeAll
    static void buildImages() throws Exception {
        Path tools = E2e.tools();
        work = Files.createTempDirectory("lading-e2e-skopeo");
        images = work.resolve("images");
        Files.createDirectories(work.resolve("pulled"));
        Path auth = work.resolve("auth.json");
        E2e.writeAuthFile(auth, server.hostPort());
        // no stray credentials from the machine's login files
        env = Map.of("REGISTRY_AUTH_FILE", auth.toString(), "SCRATCH", work.toString());
        E2e.run(Duration.ofMinutes(5), env,
                List.of(tools.resolve("make-images.sh").toString(), "-o", images.toString(),
                        "tiny", "medium", "multiarch", "artifact")).assertOk();
    }

    @AfterAll
    static void cleanUp() {
        E2e.deleteTree(work);
    }

    private static E2e.Result skopeo(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("skopeo");
        cmd.addAll(List.of(args));
        return E2e.run(SKOPEO_TIMEOUT, env, cmd);
    }

    private static String remote(String repo, String ref) {
        return "docker://" + server.hostPort() + "/" + repo + (ref.startsWith("sha256:") ? "@" : ":") + ref;
    }

    /** Pushes {@code oci:images/name:ref} to {@code e2e/name:ref} once per class. */
    private static synchronized void push(String name, String ref) {
        if (pushed.add(name + ":" + ref)) {
            // --preserve-digests: no layer substitution from containers/image's blob-info cache
            skopeo("copy", "--all", "--preserve-digests", "--dest-tls-verify=false",
                    "oci:" + images.resolve(name) + ":" + ref, remote("e2e/" + name, ref)).assertOk();
        }
    }

    private static String rawDigest(String repo, String ref) {
        return E2e.digestOf(skopeo("inspect", "--raw", "--tls-verify=false", remote(repo, ref)).assertOk().stdout());
    }

    private static HttpResponse<byte[]> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUri().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", io.lading.http.testing.TestHttp.TESTER_AUTHORIZATION);
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @ParameterizedTest(name = "{0}:{1}")
    @CsvSource({"tiny,latest", "medium,latest", "multiarch,latest", "artifact,latest", "artifact,signature"})
    void pushAndPullBackByteIdentical(String name, String ref) throws Exception {
        Path layout = images.resolve(name);
        String digest = E2e.layoutDigest(layout, ref);
        if (ref.equals("signature")) {
            push(name, "latest"); // the subject first, into the same repository
        }
        push(name, ref);

        assertEquals(digest, rawDigest("e2e/" + name, ref), "inspect --raw by tag returns the pushed bytes");
        assertEquals(digest, rawDigest("e2e/" + name, digest), "inspect --raw by digest returns the pushed bytes");

        Path out = work.resolve("pulled").resolve(name + "-" + ref);
        skopeo("copy", "--all", "--src-tls-verify=false", remote("e2e/" + name, ref), "oci:" + out + ":" + ref).assertOk();
        assertEquals(digest, E2e.layoutDigest(out, ref), "pulled layout names the same manifest digest");
        E2e.assertSameBlobs(layout, out, digest);
    }

    @Test
    void referrersListTheSignature() throws Exception {
        Path layout = images.resolve("artifact");
        String subject = E2e.layoutDigest(layout, "latest");
        String signature = E2e.layoutDigest(layout, "signature");
        push("artifact", "latest");
        push("artifact", "signature");

        HttpResponse<byte[]> r = get("/v2/e2e/artifact/referrers/" + subject, null);
        assertEquals(200, r.statusCode(), () -> new String(r.body()));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.oci.image.index.v1+json"),
                "referrers answer is an OCI index: " + r.headers().map());
        JsonNode index = E2e.readJson(r.body());
        JsonNode found = null;
        for (JsonNode m : index.path("manifests")) {
            if (signature.equals(m.path("digest").asText())) {
                found = m;
            }
        }
        assertTrue(found != null, "referrers of " + subject + " list the signature " + signature + ": " + index);
        assertEquals(SIG_TYPE, found.path("artifactType").asText(), "descriptor carries the artifactType");
        assertEquals("application/vnd.oci.image.manifest.v1+json", found.path("mediaType").asText());
        assertEquals(Files.size(E2e.layoutBlob(layout, signature)), found.path("size").asLong());

        // the signature manifest itself still names its subject
        JsonNode sig = E2e.readJson(skopeo("inspect", "--raw", "--tls-verify=false",
                remote("e2e/artifact", "signature")).assertOk().stdout());
        assertEquals(subject, sig.path("subject").path("digest").asText());
    }

    @Test
    void listTags() throws Exception {
        push("artifact", "latest");
        push("artifact", "signature");
        push("tiny", "latest");
        JsonNode tags = E2e.readJson(skopeo("list-tags", "--tls-verify=false",
                "docker://" + server.hostPort() + "/e2e/artifact").assertOk().stdout());
        assertEquals(server.hostPort() + "/e2e/artifact", tags.path("Repository").asText());
        Set<String> names = new HashSet<>();
        tags.path("Tags").forEach(t -> names.add(t.asText()));
        assertEquals(Set.of("latest", "signature"), names);

        JsonNode tiny = E2e.readJson(skopeo("list-tags", "--tls-verify=false",
                "docker://" + server.hostPort() + "/e2e/tiny").assertOk().stdout());
        assertEquals("[\"latest\"]", tiny.path("Tags").toString());
    }

    @Test
    void copyBetweenRepositoriesOfTheRegistry() throws Exception {
        Path layout = images.resolve("medium");
        String digest = E2e.layoutDigest(layout, "latest");
        push("medium", "latest");

        skopeo("copy", "--all", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
                remote("e2e/medium", "latest"), remote("e2e/medium-copy", "latest")).assertOk();
        assertEquals(digest, rawDigest("e2e/medium-copy", "latest"), "the copy keeps the manifest digest");
        for (String blob : E2e.reachableBlobs(layout, digest)) {
            String kind = blob.equals(digest) ? "manifests" : "blobs";
            HttpResponse<byte[]> r = get("/v2/e2e/medium-copy/" + kind + "/" + blob,
                    "application/vnd.oci.image.manifest.v1+json");
            assertEquals(200, r.statusCode(), "e2e/medium-copy serves " + blob);
            assertEquals(blob, E2e.digestOf(r.body()), "e2e/medium-copy serves the right bytes for " + blob);
        }

        // the mount request skopeo may send, made explicitly: a layer of e2e/medium into a third repository
        String layer = E2e.readJson(Files.readAllBytes(E2e.layoutBlob(layout, digest))).path("layers").get(0)
                .path("digest").asText();
        HttpResponse<byte[]> mount = http.send(HttpRequest.newBuilder(server.baseUri().resolve(
                        "/v2/e2e/mounted/blobs/uploads/?mount=" + layer + "&from=e2e/medium"))
                .header("Authorization", io.lading.http.testing.TestHttp.TESTER_AUTHORIZATION).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(201, mount.statusCode(), () -> "cross-repository mount: " + new String(mount.body()));
        assertEquals("/v2/e2e/mounted/blobs/" + layer, mount.headers().firstValue("Location").orElse(""));
        HttpResponse<byte[]> mounted = get("/v2/e2e/mounted/blobs/" + layer, null);
        assertEquals(200, mounted.statusCode());
        assertEquals(layer, E2e.digestOf(mounted.body()));
    }

    @Test
    void deleteByDigest() throws Exception {
        Path layout = images.resolve("tiny");
        String digest = E2e.layoutDigest(layout, "latest");
        push("tiny", "latest");
        skopeo("copy", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
                remote("e2e/tiny", "latest"), remote("e2e/tiny-doomed", "latest")).assertOk();
        assertEquals(digest, rawDigest("e2e/tiny-doomed", "latest"));

        skopeo("delete", "--tls-verify=false", remote("e2e/tiny-doomed", digest)).assertOk();

        E2e.Result byDigest = skopeo("inspect", "--raw", "--tls-verify=false", remote("e2e/tiny-doomed", digest));
        assertNotEquals(0, byDigest.exit(), () -> "deleted manifest still served: " + byDigest.describe());
        E2e.Result byTag = skopeo("inspect", "--raw", "--tls-verify=false", remote("e2e/tiny-doomed", "latest"));
        assertNotEquals(0, byTag.exit(), () -> "tag of a deleted manifest still resolves: " + byTag.describe());
        assertEquals(404, get("/v2/e2e/tiny-doomed/manifests/" + digest,
                "application/vnd.oci.image.manifest.v1+json").statusCode());

        // the other repository holding the same image is untouched
        assertEquals(digest, rawDigest("e2e/tiny", "latest"));
        Path out = work.resolve("pulled").resolve("tiny-after-delete");
        skopeo("copy", "--src-tls-verify=false", remote("e2e/tiny", "latest"), "oci:" + out + ":latest").assertOk();
        E2e.assertSameBlobs(layout, out, digest);
    }
}
