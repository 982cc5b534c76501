package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * A random image for the several-node races: its config, one layer and the OCI manifest naming them, pushed
 * and pulled over {@code /v2} as a client does.
 */
record TestImage(byte[] config, byte[] layer, byte[] manifest) {

    static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A fresh image: a config naming {@code label}, and a random layer of 4 to 8 KiB. */
    static TestImage random(String label) {
        byte[] config = ("{\"label\":\"" + label + "\",\"n\":" + ThreadLocalRandom.current().nextLong() + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = new byte[4096 + ThreadLocalRandom.current().nextInt(4096)];
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
            HttpResponse<byte[]> b = node.send("GET", "/v2/" + repo + "/blobs/" + TestHttp.sha256(blob), null, null);
            assertEquals(200, b.statusCode(), who + ": blob " + TestHttp.sha256(blob) + " of " + digest());
            assertArrayEquals(blob, b.body(), who + ": blob " + TestHttp.sha256(blob) + " of " + digest());
        }
    }

    /**
     * Every tag {@code node} lists in {@code repo} is whole there: its manifest pulls, and every blob it names
     * pulls with the right digest. A repository that does not exist (404) has nothing to check.
     */
    static void assertTagsWhole(String who, TestHttp node, String repo) throws java.io.IOException {
        HttpResponse<byte[]> list = node.send("GET", "/v2/" + repo + "/tags/list", null, null);
        if (list.statusCode() == 404) {
            return;
        }
        assertEquals(200, list.statusCode(), who + ": tags of " + repo);
        for (JsonNode tag : JSON.readTree(list.body()).path("tags")) {
            HttpResponse<byte[]> m = node.send("GET", "/v2/" + repo + "/manifests/" + tag.asText(), null, null);
            assertEquals(200, m.statusCode(), who + " lists tag " + tag + " but cannot serve it");
            JsonNode manifest = JSON.readTree(m.body());
            List<String> blobs = new ArrayList<>(List.of(manifest.path("config").path("digest").asText()));
            manifest.path("layers").forEach(l -> blobs.add(l.path("digest").asText()));
            for (String blob : blobs) {
                HttpResponse<byte[]> b = node.send("GET", "/v2/" + repo + "/blobs/" + blob, null, null);
                assertEquals(200, b.statusCode(), who + ": " + blob + " of tag " + tag);
                assertEquals(blob, TestHttp.sha256(b.body()), who + ": " + blob + " of tag " + tag);
            }
        }
    }
}
