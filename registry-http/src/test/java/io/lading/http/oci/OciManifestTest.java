package io.lading.http.oci;

import static io.lading.http.oci.OciTestClient.DOCKER_LIST;
import static io.lading.http.oci.OciTestClient.DOCKER_MANIFEST;
import static io.lading.http.oci.OciTestClient.OCI_EMPTY;
import static io.lading.http.oci.OciTestClient.OCI_INDEX;
import static io.lading.http.oci.OciTestClient.OCI_MANIFEST;
import static io.lading.http.oci.OciTestClient.assertError;
import static io.lading.http.oci.OciTestClient.header;
import static io.lading.http.oci.OciTestClient.json;
import static io.lading.http.oci.OciTestClient.location;
import static io.lading.http.oci.OciTestClient.randomBytes;
import static io.lading.http.oci.OciTestClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lading.http.oci.OciTestClient.Desc;
import io.lading.http.oci.OciTestClient.Pushed;
import io.lading.http.testing.LadingServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET|HEAD|PUT|DELETE /v2/<name>/manifests/<reference>} for every manifest type. */
class OciManifestTest {

    @RegisterExtension
    static LadingServer server = new LadingServer();

    private OciTestClient client;

    @BeforeEach
    void setUp() {
        client = new OciTestClient(server.baseUri());
    }

    @Test
    void pushesAndPullsAnOciImageManifestByTagAndDigest() {
        Pushed p = client.pushImage("test/ociimage", "v1", OCI_MANIFEST);
        assertPullable("test/ociimage", "v1", p);
        assertPullable("test/ociimage", p.digest(), p);
    }

    @Test
    void pushesAndPullsADockerSchema2Manifest() {
        Pushed p = client.pushImage("test/dockerimage", "latest", DOCKER_MANIFEST);
        assertPullable("test/dockerimage", "latest", p);
        assertPullable("test/dockerimage", p.digest(), p);
    }

    @Test
    void pushesAndPullsADockerManifestList() {
        Pushed amd = client.pushImage("test/dockerlist", p("amd"), DOCKER_MANIFEST);
        Pushed arm = client.pushImage("test/dockerlist", p("arm"), DOCKER_MANIFEST);
        byte[] list = OciTestClient.index(DOCKER_LIST, List.of(amd.descriptor(), arm.descriptor()));
        Pushed pushed = client.putOk("test/dockerlist", "multi", list, DOCKER_LIST, null, List.of());
        assertPullable("test/dockerlist", "multi", pushed);
        assertPullable("test/dockerlist", pushed.digest(), pushed);
    }

    @Test
    void pushesAndPullsAnOciIndex() {
        Pushed a = client.pushImage("test/ociindex", p("a"), OCI_MANIFEST);
        Pushed b = client.pushImage("test/ociindex", p("b"), OCI_MANIFEST);
        byte[] index = OciTestClient.index(OCI_INDEX, List.of(a.descriptor(), b.descriptor()));
        Pushed pushed = client.putOk("test/ociindex", "multi", index, OCI_INDEX, null, List.of());
        assertPullable("test/ociindex", "multi", pushed);
        assertPullable("test/ociindex", pushed.digest(), pushed);
    }

    @Test
    void pushesAnOciArtifactAndAnswersWithOciSubject() {
        String repo = "test/ociartifact";
        Pushed subject = client.pushImage(repo, "v1", OCI_MANIFEST);
        Desc empty = new Desc(OCI_EMPTY, client.pushBlob(repo, "{}".getBytes()), 2);
        byte[] sig = randomBytes(80);
        Desc layer = new Desc("application/vnd.example.signature", client.pushBlob(repo, sig), sig.length);
        byte[] artifact = OciTestClient.imageManifest(OCI_MANIFEST, empty, List.of(layer),
                "application/vnd.example.sig+type", subject.descriptor(), Map.of("org.example.k", "v"));
        String digest = sha256(artifact);

        HttpResponse<byte[]> r = client.putManifest(repo, digest, artifact, OCI_MANIFEST);
        assertEquals(201, r.statusCode(), () -> OciTestClient.body(r));
        assertEquals(subject.digest(), header(r, "OCI-Subject"));
        assertEquals(digest, header(r, "Docker-Content-Digest"));
        assertEquals("/v2/" + repo + "/manifests/" + digest, location(r));

        HttpResponse<byte[]> get = client.get("/v2/" + repo + "/manifests/" + digest);
        assertEquals(200, get.statusCode());
        assertArrayEquals(artifact, get.body());
        assertEquals(OCI_MANIFEST, header(get, "Content-Type"));
    }

    @Test
    void acceptsAnArtifactWhoseSubjectIsNotPushedYet() {
        String repo = "test/danglingsubject";
        Desc empty = new Desc(OCI_EMPTY, client.pushBlob(repo, "{}".getBytes()), 2);
        Desc subject = new Desc(OCI_MANIFEST, sha256("not pushed".getBytes()), 10);
        byte[] artifact = OciTestClient.imageManifest(OCI_MANIFEST, empty, List.of(empty),
                "application/vnd.example.sbom", subject, Map.of());
        HttpResponse<byte[]> r = client.putManifest(repo, sha256(artifact), artifact, OCI_MANIFEST);
        assertEquals(201, r.statusCode(), () -> OciTestClient.body(r));
        assertEquals(subject.digest(), header(r, "OCI-Subject"));
    }

    @Test
    void imageWithoutSubjectHasNoOciSubjectHeader() {
        String repo = "test/nosubject";
        Pushed p = client.pushImage(repo, "v1", OCI_MANIFEST);
        HttpResponse<byte[]> again = client.putManifest(repo, "v2", p.bytes(), OCI_MANIFEST);
        assertEquals(201, again.statusCode());
        assertNull(header(again, "OCI-Subject"));
    }

    @Test
    void putByDigestThatDoesNotMatchTheBodyIsDigestInvalid() {
        String repo = "test/digestmismatch";
        Pushed p = client.pushImage(repo, "v1", OCI_MANIFEST);
        byte[] other = OciTestClient.imageManifest(OCI_MANIFEST, p.config(), p.layers(), null, null,
                Map.of("changed", "yes"));
        assertError(client.putManifest(repo, p.digest(), other, OCI_MANIFEST), 400, "DIGEST_INVALID");
        assertError(client.get("/v2/" + repo + "/manifests/" + sha256(other)), 404, "MANIFEST_UNKNOWN");
        assertArrayEquals(p.bytes(), client.get("/v2/" + repo + "/manifests/" + p.digest()).body());
    }

    @Test
    void putByDigestWithTagParametersTagsEachOne() {
        String repo = "test/tagparams";
        Pushed p = client.pushImage(repo, "first", OCI_MANIFEST);
        HttpResponse<byte[]> r = client.put("/v2/" + repo + "/manifests/" + p.digest() + "?tag=a&tag=b", p.bytes(),
                "Content-Type", OCI_MANIFEST);
        assertEquals(201, r.statusCode(), () -> OciTestClient.body(r));
        for (String tag : List.of("a", "b", "first")) {
            HttpResponse<byte[]> get = client.get("/v2/" + repo + "/manifests/" + tag);
            assertEquals(200, get.statusCode(), tag);
            assertEquals(p.digest(), header(get, "Docker-Content-Digest"), tag);
        }
        assertEquals(List.of("a", "b", "first"), tags(repo));
    }

    @Test
    void deleteByTagRemovesOnlyTheTag() {
        String repo = "test/deletetag";
        Pushed p = client.pushImage(repo, "v1", OCI_MANIFEST);
        client.putOk(repo, "v2", p.bytes(), OCI_MANIFEST, p.config(), p.layers());

        assertEquals(202, client.delete("/v2/" + repo + "/manifests/v1").statusCode());

        assertError(client.get("/v2/" + repo + "/manifests/v1"), 404, "MANIFEST_UNKNOWN");
        assertEquals(200, client.get("/v2/" + repo + "/manifests/v2").statusCode());
        assertArrayEquals(p.bytes(), client.get("/v2/" + repo + "/manifests/" + p.digest()).body());
        assertEquals(List.of("v2"), tags(repo));
        assertError(client.delete("/v2/" + repo + "/manifests/v1"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deleteByDigestRemovesTheImageAndItsTags() {
        String repo = "test/deletedigest";
        Pushed p = client.pushImage(repo, "v1", OCI_MANIFEST);
        client.putOk(repo, "v2", p.bytes(), OCI_MANIFEST, p.config(), p.layers());
        Pushed other = client.pushImage(repo, "keep", OCI_MANIFEST);

        assertEquals(202, client.delete("/v2/" + repo + "/manifests/" + p.digest()).statusCode());

        assertError(client.get("/v2/" + repo + "/manifests/" + p.digest()), 404, "MANIFEST_UNKNOWN");
        assertEquals(404, client.head("/v2/" + repo + "/manifests/" + p.digest()).statusCode());
        assertError(client.get("/v2/" + repo + "/manifests/v1"), 404, "MANIFEST_UNKNOWN");
        assertError(client.get("/v2/" + repo + "/manifests/v2"), 404, "MANIFEST_UNKNOWN");
        assertEquals(List.of("keep"), tags(repo));
        assertEquals(other.digest(), header(client.get("/v2/" + repo + "/manifests/keep"), "Docker-Content-Digest"));
        assertError(client.delete("/v2/" + repo + "/manifests/" + p.digest()), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deletingAChildOfAnIndexIsRejected() {
        String repo = "test/deletechild";
        Pushed child = client.pushImage(repo, p("child"), OCI_MANIFEST);
        byte[] index = OciTestClient.index(OCI_INDEX, List.of(child.descriptor()));
        Pushed parent = client.putOk(repo, "multi", index, OCI_INDEX, null, List.of());

        assertError(client.delete("/v2/" + repo + "/manifests/" + child.digest()), 400, "UNSUPPORTED");
        assertEquals(200, client.head("/v2/" + repo + "/manifests/" + child.digest()).statusCode());

        assertEquals(202, client.delete("/v2/" + repo + "/manifests/" + parent.digest()).statusCode());
        assertEquals(202, client.delete("/v2/" + repo + "/manifests/" + child.digest()).statusCode(),
                "once the index is gone the child can go");
    }

    @Test
    void unknownTagOrDigestIs404ManifestUnknown() {
        String repo = "test/unknownmanifest";
        client.pushImage(repo, "v1", OCI_MANIFEST);
        assertError(client.get("/v2/" + repo + "/manifests/nope"), 404, "MANIFEST_UNKNOWN");
        assertError(client.get("/v2/" + repo + "/manifests/" + sha256(new byte[3])), 404, "MANIFEST_UNKNOWN");
        HttpResponse<byte[]> head = client.head("/v2/" + repo + "/manifests/nope");
        assertEquals(404, head.statusCode());
        assertEquals(0, head.body().length);
        assertError(client.delete("/v2/" + repo + "/manifests/" + sha256(new byte[3])), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void manifestOfUnknownRepositoryIs404NameUnknown() {
        assertError(client.get("/v2/test/nosuchrepository/manifests/v1"), 404, "NAME_UNKNOWN");
    }

    @Test
    void retaggingMovesTheTagToTheNewManifest() {
        String repo = "test/retag";
        Pushed one = client.pushImage(repo, "latest", OCI_MANIFEST);
        Pushed two = client.pushImage(repo, "latest", OCI_MANIFEST);
        assertEquals(two.digest(), header(client.get("/v2/" + repo + "/manifests/latest"), "Docker-Content-Digest"));
        assertEquals(200, client.head("/v2/" + repo + "/manifests/" + one.digest()).statusCode());
    }

    /** GET returns the exact bytes with the stored type; HEAD the same headers without a body. */
    private void assertPullable(String repo, String reference, Pushed p) {
        String path = "/v2/" + repo + "/manifests/" + reference;
        HttpResponse<byte[]> get = client.get(path);
        assertEquals(200, get.statusCode(), () -> OciTestClient.body(get));
        assertArrayEquals(p.bytes(), get.body());
        assertEquals(p.mediaType(), header(get, "Content-Type"));
        assertEquals(p.digest(), header(get, "Docker-Content-Digest"));
        assertEquals(String.valueOf(p.bytes().length), header(get, "Content-Length"));

        HttpResponse<byte[]> head = client.head(path);
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(p.mediaType(), header(head, "Content-Type"));
        assertEquals(p.digest(), header(head, "Docker-Content-Digest"));
        assertEquals(String.valueOf(p.bytes().length), header(head, "Content-Length"));
    }

    private List<String> tags(String repo) {
        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/tags/list");
        assertEquals(200, r.statusCode());
        return OciTestClient.JSON.convertValue(json(r.body()).get("tags"),
                OciTestClient.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    /** A unique tag, for children pushed only to be referenced. */
    private static String p(String prefix) {
        return prefix + "-" + OciTestClient.randomHex();
    }
}
