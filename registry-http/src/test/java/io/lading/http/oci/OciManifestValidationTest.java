package io.lading.http.oci;

import static io.lading.http.oci.OciTestClient.DOCKER_MANIFEST;
import static io.lading.http.oci.OciTestClient.OCI_CONFIG;
import static io.lading.http.oci.OciTestClient.OCI_INDEX;
import static io.lading.http.oci.OciTestClient.OCI_LAYER;
import static io.lading.http.oci.OciTestClient.OCI_MANIFEST;
import static io.lading.http.oci.OciTestClient.assertError;
import static io.lading.http.oci.OciTestClient.errorCodes;
import static io.lading.http.oci.OciTestClient.json;
import static io.lading.http.oci.OciTestClient.randomBytes;
import static io.lading.http.oci.OciTestClient.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.http.oci.OciTestClient.Desc;
import io.lading.http.oci.OciTestClient.Pushed;
import io.lading.http.testing.LadingServer;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Manifests the registry must refuse, and what it answers; a refused push stores nothing. */
class OciManifestValidationTest {

    @RegisterExtension
    static LadingServer server = new LadingServer();

    private OciTestClient client;

    @BeforeEach
    void setUp() {
        client = new OciTestClient(server.baseUri());
    }

    @Test
    void rejectsManifestReferencingUnknownBlob() {
        String repo = "test/unknownlayer";
        byte[] config = "{}".getBytes();
        Desc c = new Desc(OCI_CONFIG, client.pushBlob(repo, config), config.length);
        Desc missing = new Desc(OCI_LAYER, sha256("never pushed".getBytes()), 12);
        byte[] manifest = OciTestClient.imageManifest(OCI_MANIFEST, c, List.of(missing));

        JsonNode error = assertError(client.putManifest(repo, "v1", manifest, OCI_MANIFEST), 400,
                "MANIFEST_BLOB_UNKNOWN");
        assertEquals(missing.digest(), error.get("detail").get("digest").asText());
        assertNothingStored(repo, "v1", manifest);
    }

    @Test
    void reportsEveryMissingBlob() {
        String repo = "test/manymissing";
        client.pushBlob(repo, randomBytes(4)); // the repository exists
        Desc c = new Desc(OCI_CONFIG, sha256("missing config".getBytes()), 14);
        Desc l = new Desc(OCI_LAYER, sha256("missing layer".getBytes()), 13);
        byte[] manifest = OciTestClient.imageManifest(OCI_MANIFEST, c, List.of(l));

        HttpResponse<byte[]> r = client.putManifest(repo, "v1", manifest, OCI_MANIFEST);
        assertEquals(List.of("MANIFEST_BLOB_UNKNOWN", "MANIFEST_BLOB_UNKNOWN"), errorCodes(r.body()));
        List<String> digests = new ArrayList<>();
        json(r.body()).get("errors").forEach(e -> digests.add(e.get("detail").get("digest").asText()));
        assertEquals(List.of(c.digest(), l.digest()), digests);
    }

    @Test
    void rejectsManifestReferencingABlobOnlyAnotherRepositoryHas() {
        String repo = "test/otherrepolayer";
        byte[] layer = randomBytes(100);
        String layerDigest = client.pushBlob("test/layerowner", layer);
        byte[] config = "{}".getBytes();
        Desc c = new Desc(OCI_CONFIG, client.pushBlob(repo, config), config.length);
        byte[] manifest = OciTestClient.imageManifest(OCI_MANIFEST, c,
                List.of(new Desc(OCI_LAYER, layerDigest, layer.length)));

        JsonNode error = assertError(client.putManifest(repo, "v1", manifest, OCI_MANIFEST), 400,
                "MANIFEST_BLOB_UNKNOWN");
        assertEquals(layerDigest, error.get("detail").get("digest").asText());
    }

    @Test
    void rejectsIndexReferencingAMissingChild() {
        String repo = "test/missingchild";
        Pushed present = client.pushImage(repo, "present", OCI_MANIFEST);
        Desc absent = new Desc(OCI_MANIFEST, sha256("no such manifest".getBytes()), 500);
        byte[] index = OciTestClient.index(OCI_INDEX, List.of(present.descriptor(), absent));

        JsonNode error = assertError(client.putManifest(repo, "multi", index, OCI_INDEX), 400,
                "MANIFEST_BLOB_UNKNOWN");
        assertEquals(absent.digest(), error.get("detail").get("digest").asText());
        assertNothingStored(repo, "multi", index);
    }

    @Test
    void rejectsNonJsonBodyAsUnsupported() {
        String repo = "test/nonjson";
        byte[] body = "this is not json".getBytes();
        assertError(client.putManifest(repo, "v1", body, OCI_MANIFEST), 405, "UNSUPPORTED");
        assertError(client.putManifest(repo, "v1", "[1,2]".getBytes(), OCI_MANIFEST), 405, "UNSUPPORTED");
        assertNothingStored(repo, "v1", body);
    }

    @Test
    void rejectsJsonWhoseTypeCannotBeDetermined() {
        String repo = "test/untyped";
        byte[] body = "{\"schemaVersion\":2,\"config\":{},\"layers\":[]}".getBytes();
        assertError(client.putManifest(repo, "v1", body, "application/json"), 405, "UNSUPPORTED");
        assertError(client.send(client.request("/v2/" + repo + "/manifests/v1").PUT(BodyPublishers.ofByteArray(body))),
                405, "UNSUPPORTED");
        assertNothingStored(repo, "v1", body);
    }

    @Test
    void rejectsImageManifestWithoutConfig() {
        String repo = "test/noconfig";
        byte[] body = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"layers\":[]}").getBytes();
        assertError(client.putManifest(repo, "v1", body, OCI_MANIFEST), 400, "MANIFEST_INVALID");
        assertNothingStored(repo, "v1", body);
    }

    @Test
    void rejectsMediaTypeThatContradictsContentType() {
        String repo = "test/typeclash";
        Pushed p = client.pushImage(repo, "ok", OCI_MANIFEST);
        assertError(client.putManifest(repo, "clash", p.bytes(), DOCKER_MANIFEST), 400, "MANIFEST_INVALID");
        assertError(client.get("/v2/" + repo + "/manifests/clash"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void rejectsDescriptorSizeThatDiffersFromTheStoredBlob() {
        String repo = "test/sizemismatch";
        byte[] config = "{}".getBytes();
        byte[] layer = randomBytes(100);
        Desc c = new Desc(OCI_CONFIG, client.pushBlob(repo, config), config.length);
        Desc wrong = new Desc(OCI_LAYER, client.pushBlob(repo, layer), 99);
        byte[] manifest = OciTestClient.imageManifest(OCI_MANIFEST, c, List.of(wrong));

        assertError(client.putManifest(repo, "v1", manifest, OCI_MANIFEST), 400, "MANIFEST_INVALID");
        assertNothingStored(repo, "v1", manifest);
    }

    @Test
    void rejectsOversizedManifestAndStoresNothing() {
        String repo = "test/oversized";
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST
                + "\",\"annotations\":{\"pad\":\"");
        sb.append("x".repeat(4 * 1024 * 1024));
        sb.append("\"}}");
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);

        // Expect: 100-continue lets the server refuse on the declared length before the body is sent
        HttpResponse<byte[]> r = client.send(client.request("/v2/" + repo + "/manifests/v1")
                .expectContinue(true)
                .header("Content-Type", OCI_MANIFEST)
                .PUT(BodyPublishers.ofByteArray(body)));
        assertError(r, 413, "SIZE_INVALID");
        assertError(client.get("/v2/" + repo + "/tags/list"), 404, "NAME_UNKNOWN");
        assertNothingStored(repo, "v1", body);
    }

    @Test
    void acceptsManifestJustUnderTheLimit() {
        String repo = "test/largemanifest";
        byte[] config = "{}".getBytes();
        Desc c = new Desc(OCI_CONFIG, client.pushBlob(repo, config), config.length);
        String head = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + new String(OciTestClient.write(c.json()), StandardCharsets.UTF_8)
                + ",\"layers\":[],\"annotations\":{\"pad\":\"";
        String tail = "\"}}";
        int pad = 4 * 1024 * 1024 - head.length() - tail.length();
        byte[] body = (head + "x".repeat(pad) + tail).getBytes(StandardCharsets.UTF_8);
        assertEquals(4 * 1024 * 1024, body.length);

        HttpResponse<byte[]> r = client.putManifest(repo, "big", body, OCI_MANIFEST);
        assertEquals(201, r.statusCode(), () -> OciTestClient.body(r));
        HttpResponse<byte[]> get = client.get("/v2/" + repo + "/manifests/big");
        assertEquals(body.length, get.body().length);
    }

    @Test
    void rejectsMalformedDescriptorDigestInManifest() {
        String repo = "test/baddescriptor";
        byte[] config = "{}".getBytes();
        Desc c = new Desc(OCI_CONFIG, client.pushBlob(repo, config), config.length);
        Desc bad = new Desc(OCI_LAYER, "sha256:../../etc/passwd", 10);
        byte[] manifest = OciTestClient.imageManifest(OCI_MANIFEST, c, List.of(bad));
        assertError(client.putManifest(repo, "v1", manifest, OCI_MANIFEST), 400, "MANIFEST_INVALID");
        assertNothingStored(repo, "v1", manifest);
    }

    private void assertNothingStored(String repo, String tag, byte[] body) {
        HttpResponse<byte[]> byTag = client.get("/v2/" + repo + "/manifests/" + tag);
        assertEquals(404, byTag.statusCode(), () -> OciTestClient.body(byTag));
        assertTrue(List.of("MANIFEST_UNKNOWN", "NAME_UNKNOWN").contains(errorCodes(byTag.body()).get(0)));
        HttpResponse<byte[]> byDigest = client.get("/v2/" + repo + "/manifests/" + sha256(body));
        assertEquals(404, byDigest.statusCode());
    }
}
