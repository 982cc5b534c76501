package io.lading.http.oci;

import static io.lading.http.oci.OciTestClient.OCI_EMPTY;
import static io.lading.http.oci.OciTestClient.OCI_INDEX;
import static io.lading.http.oci.OciTestClient.OCI_MANIFEST;
import static io.lading.http.oci.OciTestClient.assertError;
import static io.lading.http.oci.OciTestClient.header;
import static io.lading.http.oci.OciTestClient.json;
import static io.lading.http.oci.OciTestClient.randomBytes;
import static io.lading.http.oci.OciTestClient.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.http.oci.OciTestClient.Desc;
import io.lading.http.oci.OciTestClient.Pushed;
import io.lading.http.testing.LadingServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /v2/<name>/referrers/<digest>?artifactType=}. */
class OciReferrersTest {

    private static final String SIG = "application/vnd.example.signature.v1";
    private static final String SBOM = "application/vnd.example.sbom.v1";

    @RegisterExtension
    static LadingServer server = new LadingServer();

    private OciTestClient client;

    @BeforeEach
    void setUp() {
        client = new OciTestClient(server.baseUri());
    }

    @Test
    void listsTheArtifactsReferringToASubjectAsAnOciIndex() {
        String repo = "test/referrers";
        Pushed subject = client.pushImage(repo, "v1", OCI_MANIFEST);
        Pushed sig = pushArtifact(repo, SIG, subject.descriptor(), Map.of("org.example.signer", "alice"));

        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/referrers/" + subject.digest());
        assertEquals(200, r.statusCode());
        assertEquals(OCI_INDEX, header(r, "Content-Type"));
        assertNull(header(r, "OCI-Filters-Applied"));
        JsonNode index = json(r.body());
        assertEquals(2, index.get("schemaVersion").asInt());
        assertEquals(OCI_INDEX, index.get("mediaType").asText());
        assertEquals(1, index.get("manifests").size());
        JsonNode d = index.get("manifests").get(0);
        assertEquals(OCI_MANIFEST, d.get("mediaType").asText());
        assertEquals(sig.digest(), d.get("digest").asText());
        assertEquals(sig.bytes().length, d.get("size").asLong());
        assertEquals(SIG, d.get("artifactType").asText());
        assertEquals("alice", d.get("annotations").get("org.example.signer").asText());
    }

    @Test
    void filtersByArtifactTypeAndSaysSo() {
        String repo = "test/referrerfilter";
        Pushed subject = client.pushImage(repo, "v1", OCI_MANIFEST);
        Pushed sig = pushArtifact(repo, SIG, subject.descriptor(), Map.of());
        Pushed sbom = pushArtifact(repo, SBOM, subject.descriptor(), Map.of());

        assertEquals(sorted(sig.digest(), sbom.digest()), digests(client.get("/v2/" + repo + "/referrers/"
                + subject.digest())));

        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/referrers/" + subject.digest() + "?artifactType=" + SBOM);
        assertEquals(200, r.statusCode());
        assertEquals("artifactType", header(r, "OCI-Filters-Applied"));
        assertEquals(OCI_INDEX, header(r, "Content-Type"));
        assertEquals(List.of(sbom.digest()), digests(r));

        HttpResponse<byte[]> none = client.get("/v2/" + repo + "/referrers/" + subject.digest()
                + "?artifactType=application/vnd.example.none");
        assertEquals(200, none.statusCode());
        assertEquals("artifactType", header(none, "OCI-Filters-Applied"));
        assertEquals(List.of(), digests(none));
    }

    @Test
    void artifactTypeDefaultsToTheConfigMediaType() {
        String repo = "test/referrerconfigtype";
        Pushed subject = client.pushImage(repo, "v1", OCI_MANIFEST);
        byte[] config = "{\"kind\":\"attestation\"}".getBytes();
        Desc c = new Desc("application/vnd.example.config.v1+json", client.pushBlob(repo, config), config.length);
        byte[] m = OciTestClient.imageManifest(OCI_MANIFEST, c, List.of(), null, subject.descriptor(), Map.of());
        client.putOk(repo, sha256(m), m, OCI_MANIFEST, c, List.of());

        JsonNode d = json(client.get("/v2/" + repo + "/referrers/" + subject.digest()).body()).get("manifests").get(0);
        assertEquals("application/vnd.example.config.v1+json", d.get("artifactType").asText());
    }

    @Test
    void unknownSubjectHasNoReferrers() {
        String repo = "test/referrerunknown";
        client.pushImage(repo, "v1", OCI_MANIFEST);
        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/referrers/" + sha256("nothing".getBytes()));
        assertEquals(200, r.statusCode());
        assertEquals(OCI_INDEX, header(r, "Content-Type"));
        JsonNode manifests = json(r.body()).get("manifests");
        assertTrue(manifests.isArray());
        assertEquals(0, manifests.size());
    }

    @Test
    void referrersPushedBeforeTheirSubjectAreListed() {
        String repo = "test/referrerfirst";
        client.pushBlob(repo, randomBytes(3));
        Desc subject = new Desc(OCI_MANIFEST, sha256("subject to come".getBytes()), 15);
        Pushed sig = pushArtifact(repo, SIG, subject, Map.of());
        assertEquals(List.of(sig.digest()), digests(client.get("/v2/" + repo + "/referrers/" + subject.digest())));
    }

    @Test
    void deletedReferrerDisappearsFromTheList() {
        String repo = "test/referrerdelete";
        Pushed subject = client.pushImage(repo, "v1", OCI_MANIFEST);
        Pushed sig = pushArtifact(repo, SIG, subject.descriptor(), Map.of());
        assertEquals(202, client.delete("/v2/" + repo + "/manifests/" + sig.digest()).statusCode());
        assertEquals(List.of(), digests(client.get("/v2/" + repo + "/referrers/" + subject.digest())));
    }

    @Test
    void rejectsAnInvalidSubjectDigest() {
        String repo = "test/referrerbaddigest";
        client.pushImage(repo, "v1", OCI_MANIFEST);
        assertError(client.get("/v2/" + repo + "/referrers/sha256:XYZ"), 400, "DIGEST_INVALID");
        assertError(client.get("/v2/" + repo + "/referrers/v1"), 400, "DIGEST_INVALID");
    }

    private Pushed pushArtifact(String repo, String artifactType, Desc subject, Map<String, String> annotations) {
        Desc empty = new Desc(OCI_EMPTY, client.pushBlob(repo, "{}".getBytes()), 2);
        byte[] payload = randomBytes(64);
        Desc layer = new Desc("application/octet-stream", client.pushBlob(repo, payload), payload.length);
        byte[] m = OciTestClient.imageManifest(OCI_MANIFEST, empty, List.of(layer), artifactType, subject,
                annotations);
        return client.putOk(repo, sha256(m), m, OCI_MANIFEST, empty, List.of(layer));
    }

    private static List<String> digests(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode());
        List<String> out = new ArrayList<>();
        json(r.body()).get("manifests").forEach(d -> out.add(d.get("digest").asText()));
        return out;
    }

    private static List<String> sorted(String... digests) {
        return java.util.Arrays.stream(digests).sorted().toList();
    }
}
