package io.lading.http.oci;

import static io.lading.http.oci.OciTestClient.OCI_MANIFEST;
import static io.lading.http.oci.OciTestClient.assertError;
import static io.lading.http.oci.OciTestClient.errorCodes;
import static io.lading.http.oci.OciTestClient.header;
import static io.lading.http.oci.OciTestClient.json;
import static io.lading.http.oci.OciTestClient.randomBytes;
import static io.lading.http.oci.OciTestClient.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.oci.OciTestClient.Pushed;
import io.lading.http.oci.OciTestClient.RawResponse;
import io.lading.http.testing.LadingServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed names, digests, tags, paths, methods and HTTP messages: the spec's error, and nothing stored. */
class OciBadInputTest {

    private static final String LONG_NAME = "a".repeat(150) + "/" + "b".repeat(149);

    @RegisterExtension
    static LadingServer server = new LadingServer();

    private OciTestClient client;

    @BeforeEach
    void setUp() {
        client = new OciTestClient(server.baseUri());
    }

    static List<String> invalidNames() {
        return List.of("Foo/bar", "a..b", "/x", "-abc/def", "abc/_def", "abc/def/", LONG_NAME);
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void rejectsInvalidRepositoryNames(String name) {
        assertEquals(300, LONG_NAME.length());
        byte[] blob = randomBytes(10);
        String digest = sha256(blob);
        assertError(client.get("/v2/" + name + "/tags/list"), 400, "NAME_INVALID");
        assertError(client.get("/v2/" + name + "/manifests/latest"), 400, "NAME_INVALID");
        assertError(client.get("/v2/" + name + "/blobs/" + digest), 400, "NAME_INVALID");
        assertError(client.get("/v2/" + name + "/referrers/" + digest), 400, "NAME_INVALID");
        assertError(client.post("/v2/" + name + "/blobs/uploads/", null), 400, "NAME_INVALID");
        assertError(client.post("/v2/" + name + "/blobs/uploads/?digest=" + digest, blob), 400, "NAME_INVALID");
        assertError(client.putManifest(name, "latest", "{}".getBytes(), OCI_MANIFEST), 400, "NAME_INVALID");
        assertEquals(400, client.head("/v2/" + name + "/manifests/latest").statusCode());

        List<String> repositories = catalog();
        assertFalse(repositories.stream().anyMatch(r -> r.equalsIgnoreCase(name) || r.contains("..")
                || r.length() > 256), repositories::toString);
    }

    @Test
    void rejectsMountFromAnInvalidRepositoryName() {
        String digest = client.pushBlob("test/mountbadfrom", randomBytes(5));
        assertError(client.post("/v2/test/mountbadfrom/blobs/uploads/?mount=" + digest + "&from=../etc", null),
                400, "NAME_INVALID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:..%2F..%2Fetc%2Fpasswd", "sha256:XYZ", "md5:abc", "sha256:",
            "sha256:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "sha256:abc"})
    void rejectsInvalidDigests(String digest) {
        String repo = "test/baddigests";
        Pushed p = client.pushImage(repo, "v1", OCI_MANIFEST);
        assertError(client.get("/v2/" + repo + "/blobs/" + digest), 400, "DIGEST_INVALID");
        assertEquals(400, client.head("/v2/" + repo + "/blobs/" + digest).statusCode());
        assertError(client.delete("/v2/" + repo + "/blobs/" + digest), 405, "UNSUPPORTED"); // whatever the digest
        assertError(client.get("/v2/" + repo + "/manifests/" + digest), 400, "DIGEST_INVALID");
        assertError(client.delete("/v2/" + repo + "/manifests/" + digest), 400, "DIGEST_INVALID");
        assertError(client.putManifest(repo, digest, p.bytes(), OCI_MANIFEST), 400, "DIGEST_INVALID");
        assertError(client.get("/v2/" + repo + "/referrers/" + digest), 400, "DIGEST_INVALID");
        assertError(client.post("/v2/" + repo + "/blobs/uploads/?digest=" + digest, randomBytes(3)), 400,
                "DIGEST_INVALID");
        assertError(client.post("/v2/" + repo + "/blobs/uploads/?mount=" + digest + "&from=" + repo, null), 400,
                "DIGEST_INVALID");
        String session = client.startUpload(repo);
        assertError(client.put(session + (session.contains("?") ? "&" : "?") + "digest=" + digest, randomBytes(3)),
                400, "DIGEST_INVALID");
        assertEquals("0-0", header(client.get(session), "Range"));
        assertEquals(List.of("v1"), tags(repo));
    }

    @Test
    void rejectsTraversalQueryDigestWithoutTouchingTheFileSystem() {
        String repo = "test/traversalquery";
        client.pushBlob(repo, randomBytes(4));
        assertError(client.post("/v2/" + repo + "/blobs/uploads/?digest=sha256:../../etc/passwd", randomBytes(3)),
                400, "DIGEST_INVALID");
    }

    @Test
    void unencodedTraversalPathMatchesNoEndpoint() throws Exception {
        // with literal slashes the digest is no longer one path segment: no endpoint has this shape
        RawResponse r = client.raw("GET /v2/test/x/blobs/sha256:../../../../etc/passwd HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");
        assertEquals(404, r.status());
        assertEquals("registry/2.0", r.header("Docker-Distribution-API-Version"));
        assertEquals("UNSUPPORTED", errorCodes(r.body()).get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "-x", ".hidden", "a+b", "a%20b", "a:b:c"})
    void rejectsInvalidTagsInThePath(String tag) {
        String repo = "test/badtags";
        Pushed p = client.pushImage(repo, "v1", OCI_MANIFEST);
        String expected = tag.contains(":") ? "DIGEST_INVALID" : "TAG_INVALID";
        assertError(client.get("/v2/" + repo + "/manifests/" + tag), 400, expected);
        assertError(client.putManifest(repo, tag, p.bytes(), OCI_MANIFEST), 400, expected);
        assertError(client.delete("/v2/" + repo + "/manifests/" + tag), 400, expected);
        assertEquals(List.of("v1"), tags(repo));
    }

    @Test
    void rejectsAFourHundredCharacterTag() {
        String repo = "test/longtag";
        Pushed p = client.pushImage(repo, "v1", OCI_MANIFEST);
        String tag = "t".repeat(400);
        assertError(client.putManifest(repo, tag, p.bytes(), OCI_MANIFEST), 400, "TAG_INVALID");
        assertError(client.get("/v2/" + repo + "/manifests/" + tag), 400, "TAG_INVALID");
        assertEquals(List.of("v1"), tags(repo));
    }

    @Test
    void acceptsATagOfThreeHundredCharacters() {
        // Tag allows up to 300 characters (ECR's limit); such a tag must be stored, not fail in storage
        String repo = "test/longesttag";
        Pushed p = client.pushImage(repo, "v1", OCI_MANIFEST);
        String longest = "t".repeat(300);
        HttpResponse<byte[]> r = client.putManifest(repo, longest, p.bytes(), OCI_MANIFEST);
        assertEquals(201, r.statusCode(), () -> OciTestClient.body(r));
        assertEquals(p.digest(), header(client.get("/v2/" + repo + "/manifests/" + longest), "Docker-Content-Digest"));
        assertEquals(List.of(longest, "v1"), tags(repo));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "-x", "a%2Bb", "%2E%2E"})
    void rejectsInvalidTagParametersAndStoresNothing(String tag) {
        String repo = "test/badtagparams";
        Pushed p = client.pushImage(repo, "v1", OCI_MANIFEST);
        assertError(client.put("/v2/" + repo + "/manifests/" + p.digest() + "?tag=good&tag=" + tag, p.bytes(),
                "Content-Type", OCI_MANIFEST), 400, "TAG_INVALID");
        assertEquals(List.of("v1"), tags(repo), "no tag of a refused push is set");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/test/x/whatever", "/v2/test/x/blobs", "/v2/_catalog/more", "/v2/test/x/tags",
            "/nothing-here"})
    void unknownPathIs404WithAnErrorsBody(String path) {
        HttpResponse<byte[]> r = client.get(path);
        assertEquals(404, r.statusCode());
        assertEquals(1, json(r.body()).get("errors").size());
        assertError(r, 404, "UNSUPPORTED");
    }

    @Test
    void wrongMethodIs405Unsupported() {
        assertError(client.post("/v2/test/x/tags/list", new byte[0]), 405, "UNSUPPORTED");
        assertError(client.delete("/v2/test/x/tags/list"), 405, "UNSUPPORTED");
        assertError(client.patch("/v2/test/x/manifests/latest", new byte[1]), 405, "UNSUPPORTED");
        assertError(client.put("/v2/test/x/blobs/" + sha256(new byte[0]), new byte[1]), 405, "UNSUPPORTED");
        assertError(client.delete("/v2/"), 405, "UNSUPPORTED");
        assertError(client.get("/v2/test/x/blobs/uploads/"), 405, "UNSUPPORTED");
        assertError(client.post("/v2/test/x/referrers/" + sha256(new byte[0]), new byte[0]), 405, "UNSUPPORTED");
        assertFalse(catalog().contains("test/x"), "nothing was created");
    }

    @Test
    void oversizedHeadersAre431WithAnErrorsBody() throws Exception {
        RawResponse r = client.raw("GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Padding: " + "p".repeat(20 * 1024)
                + "\r\n\r\n");
        assertEquals(431, r.status());
        assertEquals("registry/2.0", r.header("Docker-Distribution-API-Version"));
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        assertEquals("UNSUPPORTED", errorCodes(r.body()).get(0));
        assertEquals(200, client.get("/v2/").statusCode(), "the server still serves");
    }

    @Test
    void overlongRequestLineIs414WithAnErrorsBody() throws Exception {
        RawResponse r = client.raw("GET /v2/test/x/manifests/" + "a".repeat(9 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(414, r.status());
        assertEquals("registry/2.0", r.header("Docker-Distribution-API-Version"));
        assertEquals("UNSUPPORTED", errorCodes(r.body()).get(0));
        assertEquals(200, client.get("/v2/").statusCode(), "the server still serves");
    }

    @Test
    void bodyEndingEarlyLeavesTheSessionAtItsPreviousSize() throws Exception {
        String repo = "test/abortedpatch";
        String session = client.startUpload(repo);
        byte[] a = randomBytes(500);
        assertEquals("0-499", header(client.patch(session, a), "Range"));

        try (Socket s = new Socket(server.baseUri().getHost(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(OciTestClient.withAuthorization("PATCH " + session + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(randomBytes(1000));
            out.flush();
        }

        // the next chunk must continue at 500: the aborted request's 1000 bytes were not kept
        byte[] c = randomBytes(100);
        HttpResponse<byte[]> next = client.patch(session, c, "Content-Range", "500-599");
        assertEquals(202, next.statusCode(), () -> OciTestClient.body(next));
        assertEquals("0-599", header(next, "Range"));
        assertEquals("0-599", header(client.get(session), "Range"));

        byte[] whole = Arrays.copyOf(a, 600);
        System.arraycopy(c, 0, whole, 500, 100);
        String digest = sha256(whole);
        HttpResponse<byte[]> done = client.put(session + (session.contains("?") ? "&" : "?") + "digest=" + digest,
                null);
        assertEquals(201, done.statusCode(), () -> OciTestClient.body(done));
        assertEquals("600", header(client.head("/v2/" + repo + "/blobs/" + digest), "Content-Length"));
    }

    @Test
    void abortedMonolithicPushStoresNothing() throws Exception {
        String repo = "test/abortedpost";
        client.pushBlob(repo, randomBytes(3));
        byte[] full = randomBytes(5000);
        String digest = sha256(full);
        try (Socket s = new Socket(server.baseUri().getHost(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(OciTestClient.withAuthorization("POST /v2/" + repo + "/blobs/uploads/?digest=" + digest
                    + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(full, 0, 1000);
            out.flush();
        }
        assertError(client.get("/v2/" + repo + "/blobs/" + digest), 404, "BLOB_UNKNOWN");
    }

    private List<String> catalog() {
        HttpResponse<byte[]> r = client.get("/v2/_catalog");
        assertEquals(200, r.statusCode());
        return OciTestClient.JSON.convertValue(json(r.body()).get("repositories"),
                OciTestClient.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    private List<String> tags(String repo) {
        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/tags/list");
        assertEquals(200, r.statusCode());
        return OciTestClient.JSON.convertValue(json(r.body()).get("tags"),
                OciTestClient.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }
}
