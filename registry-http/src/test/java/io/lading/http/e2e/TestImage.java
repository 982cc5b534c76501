package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.testing.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * A random image for the several-node races: its config, one layer and the OCI manifest naming them, pushed
 * and pulled over {@code /v2} as a client does (following a blob's {@code 307} to S3 when downloads are
 * redirected).
 */
record TestImage(byte[] config, byte[] layer, byte[] manifest) {

    static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fetches where a node redirects a blob download: a pre-signed URL, sent without the node's credentials. */
    private static final HttpClient REDIRECTED = HttpClient.newHttpClient();

    /** A fresh image: a config naming {@code label}, and a random layer of 4 to 8 KiB. */
    static TestImage random(String label) {
        return random(label, 4096 + ThreadLocalRandom.current().nextInt(4096));
    }

    /** A fresh image: a config naming {@code label}, and a random layer of {@code layerBytes}. */
    static TestImage random(String label, int layerBytes) {
        byte[] config = ("{\"label\":\"" + label + "\",\"n\":" + ThreadLocalRandom.current().nextLong() + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = new byte[layerBytes];
        ThreadLocalRandom.current().nextBytes(layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + TestHttp.sha256(config) + "\",\"size\":"
                + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + TestHttp.sha256(layer) + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        return new TestImage(config, layer, manifest);
    }

    String digest() {
        return TestHttp.sha256(manifest);
    }

    /** A monolithic blob upload ({@code POST ?digest=}); its status. */
    static int uploadBlob(TestHttp node, String repo, byte[] blob) {
        return node.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + TestHttp.sha256(blob), blob, null).statusCode();
    }

    /** As {@link #push(Supplier, String, String)}, every request through {@code node}. */
    int push(TestHttp node, String repo, String reference) {
        return push(() -> node, repo, reference);
    }

    /**
     * Pushes this image as a client does, each request through the node {@code nodes} gives then (a load
     * balancer's choice): blobs, then the manifest under {@code reference}; a manifest refused because a blob
     * was collected meanwhile ({@code MANIFEST_BLOB_UNKNOWN}) is pushed again from its blobs, as clients retry.
     *
     * @return the manifest's final status (404 without a manifest if the repository was deleted under it)
     */
    int push(Supplier<TestHttp> nodes, String repo, String reference) {
        int status = 0;
        for (int attempt = 0; attempt < 20; attempt++) {
            int config = uploadBlob(nodes.get(), repo, config());
            int layer = uploadBlob(nodes.get(), repo, layer());
            if (config == 404 || layer == 404) {
                return 404; // the repository was deleted under the push
            }
            HttpResponse<byte[]> put = nodes.get().send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest(), OCI);
            status = put.statusCode();
            if (status != 400 || !new String(put.body(), StandardCharsets.UTF_8).contains("MANIFEST_BLOB_UNKNOWN")) {
                return status;
            }
        }
        return status;
    }

    /** {@code node} serves the manifest (by digest) and both blobs, byte-identical. */
    void assertPulls(String who, TestHttp node, String repo) {
        HttpResponse<byte[]> m = node.send("GET", "/v2/" + repo + "/manifests/" + digest(), null, null);
        assertEquals(200, m.statusCode(), who + ": manifest " + digest());
        assertArrayEquals(manifest, m.body(), who + ": manifest " + digest());
        for (byte[] blob : List.of(config, layer)) {
            HttpResponse<byte[]> b = getBlob(node, repo, TestHttp.sha256(blob));
            assertEquals(200, b.statusCode(), who + ": blob " + TestHttp.sha256(blob) + " of " + digest());
            assertArrayEquals(blob, b.body(), who + ": blob " + TestHttp.sha256(blob) + " of " + digest());
        }
    }

    /**
     * Every tag {@code node} lists in {@code repo} is whole there: its manifest pulls, and every blob it names
     * pulls with the right digest. A repository that does not exist (404) has nothing to check.
     */
    static void assertTagsWhole(String who, TestHttp node, String repo) throws java.io.IOException {
        assertTagsWhole(who, node, repo, Set.of());
    }

    /**
     * As {@link #assertTagsWhole(String, TestHttp, String)}, but a tag naming one of {@code pulledWhole} (manifest
     * digests whose images the caller has pulled whole from {@code node}) only has its manifest read.
     */
    static void assertTagsWhole(String who, TestHttp node, String repo, Set<String> pulledWhole)
            throws java.io.IOException {
        HttpResponse<byte[]> list = node.send("GET", "/v2/" + repo + "/tags/list", null, null);
        if (list.statusCode() == 404) {
            return;
        }
        assertEquals(200, list.statusCode(), who + ": tags of " + repo);
        for (JsonNode tag : JSON.readTree(list.body()).path("tags")) {
            HttpResponse<byte[]> m = node.send("GET", "/v2/" + repo + "/manifests/" + tag.asText(), null, null);
            assertEquals(200, m.statusCode(), who + " lists tag " + tag + " but cannot serve it");
            if (pulledWhole.contains(TestHttp.sha256(m.body()))) {
                continue;
            }
            JsonNode manifest = JSON.readTree(m.body());
            List<String> blobs = new ArrayList<>(List.of(manifest.path("config").path("digest").asText()));
            manifest.path("layers").forEach(l -> blobs.add(l.path("digest").asText()));
            for (String blob : blobs) {
                HttpResponse<byte[]> b = getBlob(node, repo, blob);
                assertEquals(200, b.statusCode(), who + ": " + blob + " of tag " + tag);
                assertEquals(blob, TestHttp.sha256(b.body()), who + ": " + blob + " of tag " + tag);
            }
        }
    }

    /**
     * A blob {@code GET} through {@code node} as a client sends it: a {@code 307} (blobs on S3, downloads
     * redirected) is followed to its {@code Location}, which is pre-signed, so without the node's credentials.
     */
    static HttpResponse<byte[]> getBlob(TestHttp node, String repo, String digest) {
        HttpResponse<byte[]> r = node.send("GET", "/v2/" + repo + "/blobs/" + digest, null, null);
        if (r.statusCode() != 307) {
            return r;
        }
        URI location = URI.create(r.headers().firstValue("Location").orElseThrow());
        try {
            return REDIRECTED.send(HttpRequest.newBuilder(location).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A chunked upload of {@code blob} to {@code repo} whose requests go to the nodes in turn: the {@code POST}
     * to the first, each {@code PATCH} of {@code chunk} bytes to the next, the session's progress asked of
     * the one after that, the final {@code PUT} to the next again; asserts each answer.
     */
    static void uploadInChunksAcross(List<TestHttp> nodes, String repo, byte[] blob, int chunk) {
        String digest = TestHttp.sha256(blob);
        HttpResponse<byte[]> post = nodes.get(0).send("POST", "/v2/" + repo + "/blobs/uploads/", null, null);
        assertEquals(202, post.statusCode(), new String(post.body(), StandardCharsets.UTF_8));
        String location = TestHttp.pathOf(post.headers().firstValue("Location").orElseThrow());
        int n = 1; // the POST went to node 0: the next request goes to node 1, and so on
        for (int offset = 0; offset < blob.length; offset += chunk, n++) {
            byte[] part = Arrays.copyOfRange(blob, offset, Math.min(blob.length, offset + chunk));
            HttpResponse<byte[]> patch = nodes.get(n % nodes.size()).send("PATCH", location, part,
                    "application/octet-stream", "Content-Range", offset + "-" + (offset + part.length - 1));
            assertEquals(202, patch.statusCode(), "chunk at " + offset + " on node " + n % nodes.size() + ": "
                    + new String(patch.body(), StandardCharsets.UTF_8));
            assertEquals("0-" + (offset + part.length - 1), patch.headers().firstValue("Range").orElseThrow());
            location = TestHttp.pathOf(patch.headers().firstValue("Location").orElseThrow());
            // the session's progress as another node sees it
            HttpResponse<byte[]> status = nodes.get((n + 1) % nodes.size()).send("GET", location, null, null);
            assertEquals(204, status.statusCode());
            assertEquals("0-" + (offset + part.length - 1), status.headers().firstValue("Range").orElseThrow());
        }
        String sep = location.contains("?") ? "&" : "?";
        HttpResponse<byte[]> put = nodes.get(n % nodes.size()).send("PUT", location + sep + "digest=" + digest, null, null);
        assertEquals(201, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        assertEquals(digest, put.headers().firstValue("Docker-Content-Digest").orElseThrow());
    }
}
