package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.http.testing.LadingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * containerd 1.6 (the resolver and fetcher behind the Kubernetes CRI) pulling from a live Lading over
 * plain HTTP: a single image, a multi-platform index for one platform and for all, and an image that
 * an OCI 1.1 artifact refers to plus the artifact itself. Runs a private containerd via the shared
 * {@code containerd.sh}; needs root, {@code ctr}, {@code containerd} and {@code skopeo} (to push).
 */
class ContainerdPullTest {

    @RegisterExtension
    static LadingServer server = new LadingServer();

    private static final Duration CTR_TIMEOUT = Duration.ofMinutes(2);

    private static Path work;
    private static Path images;
    private static Path tools;
    private static Map<String, String> env;
    private static String socket;
    private static boolean containerdStarted;

    @BeforeAll
    static void startContainerd() throws Exception {
        assumeTrue(E2e.isRoot(), "containerd needs root");
        for (String t : List.of("ctr", "containerd", "skopeo", "jq", "tar", "gzip", "sha256sum", "openssl")) {
            assumeTrue(E2e.onPath(t), t + " is not on PATH");
        }
        tools = E2e.sharedTools();
        assumeTrue(Files.isExecutable(tools.resolve("containerd.sh")) && Files.isExecutable(tools.resolve("make-images.sh")),
                "shared tools not found at " + tools);

        work = Files.createTempDirectory("lading-e2e-ctrd");
        images = work.resolve("images");
        Path auth = work.resolve("auth.json");
        E2e.writeAuthFile(auth, server.hostPort());
        env = new HashMap<>();
        env.put("SCRATCH", work.toString());
        env.put("REGISTRY_AUTH_FILE", auth.toString());
        // the server is already up: its real port goes into certs.d/<host:port>/hosts.toml
        env.put("CONTAINERD_INSECURE", server.hostPort());

        E2e.run(Duration.ofMinutes(5), env, List.of(tools.resolve("make-images.sh").toString(), "-o", images.toString(),
                "tiny", "multiarch", "artifact")).assertOk();

        E2e.Result start = E2e.run(Duration.ofMinutes(1), env, List.of(tools.resolve("containerd.sh").toString(), "start"));
        containerdStarted = true; // stop even if start half-failed
        start.assertOk();
        String addr = E2e.run(Duration.ofSeconds(30), env, List.of(tools.resolve("containerd.sh").toString(), "env"))
                .assertOk().out().trim();
        assertTrue(addr.startsWith("CONTAINERD_ADDRESS="), addr);
        socket = addr.substring("CONTAINERD_ADDRESS=".length());
        assertTrue(Files.exists(work.resolve("containerd/certs.d").resolve(server.hostPort()).resolve("hosts.toml")),
                "hosts.toml written for " + server.hostPort());

        push("tiny", "latest", false);
        push("multiarch", "latest", true);
        push("artifact", "latest", false);
        push("artifact", "signature", false);
    }

    @AfterAll
    static void stopContainerd() {
        if (containerdStarted) {
            E2e.Result stop = E2e.run(Duration.ofMinutes(1), env, List.of(tools.resolve("containerd.sh").toString(), "stop"));
            if (stop.exit() != 0) {
                System.err.println("containerd.sh stop: " + stop.describe());
            }
        }
        E2e.deleteTree(work);
    }

    private static void push(String name, String ref, boolean all) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--preserve-digests", "--dest-tls-verify=false"));
        if (all) {
            cmd.add("--all");
        }
        cmd.add("oci:" + images.resolve(name) + ":" + ref);
        cmd.add("docker://" + server.hostPort() + "/e2e/" + name + ":" + ref);
        E2e.run(Duration.ofMinutes(2), env, cmd).assertOk();
    }

    /** {@code ctr --address SOCK -n NS ARGS...}; every test uses its own namespace, so content is really fetched. */
    private static E2e.Result ctr(String namespace, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ctr", "--address", socket, "-n", namespace));
        cmd.addAll(List.of(args));
        return E2e.run(CTR_TIMEOUT, env, cmd);
    }

    private String ref(String name, String tag) {
        return server.hostPort() + "/e2e/" + name + ":" + tag;
    }

    /** The digest {@code ctr images ls} shows for {@code ref}, or null. */
    private static String listedDigest(String namespace, String ref) {
        for (String line : ctr(namespace, "images", "ls").assertOk().out().split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 3 && cols[0].equals(ref)) {
                return cols[2];
            }
        }
        return null;
    }

    private static Set<String> contentDigests(String namespace) {
        Set<String> digests = new HashSet<>();
        for (String line : ctr(namespace, "content", "ls", "-q").assertOk().out().split("\n")) {
            if (!line.isBlank()) {
                digests.add(line.trim());
            }
        }
        return digests;
    }

    private static String manifestOf(Path layout, String indexDigest, String arch) throws Exception {
        JsonNode index = E2e.readJson(Files.readAllBytes(E2e.layoutBlob(layout, indexDigest)));
        for (JsonNode m : index.path("manifests")) {
            if (arch.equals(m.path("platform").path("architecture").asText())) {
                return m.path("digest").asText();
            }
        }
        throw new AssertionError("no " + arch + " manifest in " + index);
    }

    @Test
    void pullTiny() throws Exception {
        String digest = E2e.layoutDigest(images.resolve("tiny"), "latest");
        String ref = ref("tiny", "latest");
        ctr("pull-tiny", "images", "pull", "--plain-http", "--user", E2e.CREDS, ref).assertOk();
        assertEquals(digest, listedDigest("pull-tiny", ref), "ctr images ls shows the pushed digest");
        E2e.Result check = ctr("pull-tiny", "images", "check", "name==" + ref).assertOk();
        assertTrue(check.out().contains("complete"), () -> "image complete: " + check.describe());
        assertTrue(contentDigests("pull-tiny").containsAll(E2e.reachableBlobs(images.resolve("tiny"), digest)),
                "every blob of the image was fetched");
    }

    @Test
    void pullMultiarchOnePlatform() throws Exception {
        Path layout = images.resolve("multiarch");
        String index = E2e.layoutDigest(layout, "latest");
        String ref = ref("multiarch", "latest");
        ctr("pull-amd64", "images", "pull", "--plain-http", "--user", E2e.CREDS, "--platform", "linux/amd64", ref).assertOk();
        assertEquals(index, listedDigest("pull-amd64", ref), "ctr images ls shows the index digest");

        Set<String> content = contentDigests("pull-amd64");
        List<String> amd64 = E2e.reachableBlobs(layout, manifestOf(layout, index, "amd64"));
        assertTrue(content.containsAll(amd64), "the amd64 image was fetched: " + content);
        String arm64Manifest = manifestOf(layout, index, "arm64");
        List<String> arm64Only = new ArrayList<>(E2e.reachableBlobs(layout, arm64Manifest));
        arm64Only.removeAll(amd64);
        for (String blob : arm64Only) {
            assertFalse(content.contains(blob), "an arm64 blob was fetched for --platform linux/amd64: " + blob);
        }
    }

    @Test
    void pullMultiarchAllPlatforms() throws Exception {
        Path layout = images.resolve("multiarch");
        String index = E2e.layoutDigest(layout, "latest");
        String ref = ref("multiarch", "latest");
        ctr("pull-all", "images", "pull", "--plain-http", "--user", E2e.CREDS, "--all-platforms", ref).assertOk();
        assertEquals(index, listedDigest("pull-all", ref));
        Set<String> content = contentDigests("pull-all");
        List<String> every = E2e.reachableBlobs(layout, index);
        assertTrue(content.containsAll(every), "every platform was fetched: " + every + " vs " + content);
    }

    @Test
    void pullArtifactSubjectAndFetchSignature() throws Exception {
        Path layout = images.resolve("artifact");
        String subject = E2e.layoutDigest(layout, "latest");
        String signature = E2e.layoutDigest(layout, "signature");

        String subjectRef = ref("artifact", "latest");
        ctr("pull-artifact", "images", "pull", "--plain-http", "--user", E2e.CREDS, subjectRef).assertOk();
        assertEquals(subject, listedDigest("pull-artifact", subjectRef));

        // ctr 1.6 cannot unpack a non-image; `content fetch` is how it takes an artifact, and records it
        String sigRef = ref("artifact", "signature");
        ctr("pull-artifact", "content", "fetch", "--plain-http", "--user", E2e.CREDS, sigRef).assertOk();
        assertEquals(signature, listedDigest("pull-artifact", sigRef), "ctr images ls shows the artifact digest");
        Set<String> content = contentDigests("pull-artifact");
        assertTrue(content.containsAll(E2e.reachableBlobs(layout, signature)), "artifact blobs fetched: " + content);
        E2e.Result manifest = ctr("pull-artifact", "content", "get", signature).assertOk();
        assertEquals(signature, E2e.digestOf(manifest.stdout()), "stored artifact manifest is byte-exact");
        assertEquals(subject, E2e.readJson(manifest.stdout()).path("subject").path("digest").asText());
    }
}
