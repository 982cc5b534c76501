package io.lading.http.oci;

import static io.lading.http.oci.OciTestClient.assertError;
import static io.lading.http.oci.OciTestClient.header;
import static io.lading.http.oci.OciTestClient.location;
import static io.lading.http.oci.OciTestClient.randomBytes;
import static io.lading.http.oci.OciTestClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.testing.LadingServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v2/<name>/blobs/uploads/} and {@code PATCH|PUT|GET|DELETE /v2/<name>/blobs/uploads/<id>}. */
class OciBlobUploadTest {

    @RegisterExtension
    static LadingServer server = new LadingServer();

    private OciTestClient client;

    @BeforeEach
    void setUp() {
        client = new OciTestClient(server.baseUri());
    }

    @Test
    void postOpensASessionWithLocationUuidAndEmptyRange() {
        HttpResponse<byte[]> r = client.post("/v2/test/startsession/blobs/uploads/", null);
        assertEquals(202, r.statusCode());
        String location = location(r);
        String uuid = header(r, "Docker-Upload-UUID");
        assertNotNull(uuid);
        assertTrue(location.startsWith("/v2/test/startsession/blobs/uploads/"), location);
        assertTrue(location.contains(uuid), location);
        assertEquals("0-0", header(r, "Range"));
    }

    @Test
    void monolithicPostWithDigestCreatesTheBlob() {
        byte[] content = randomBytes(500);
        String digest = sha256(content);
        HttpResponse<byte[]> r = client.post("/v2/test/monolithic/blobs/uploads/?digest=" + digest, content);
        assertEquals(201, r.statusCode());
        assertEquals("/v2/test/monolithic/blobs/" + digest, location(r));
        assertEquals(digest, header(r, "Docker-Content-Digest"));
        assertArrayEquals(content, client.get(location(r)).body());
    }

    @Test
    void monolithicPostWithWrongDigestIsRejectedAndStoresNothing() {
        byte[] content = randomBytes(500);
        String claimed = sha256("something else".getBytes());
        assertError(client.post("/v2/test/monolithicwrong/blobs/uploads/?digest=" + claimed, content), 400,
                "DIGEST_INVALID");
        assertEquals(404, client.head("/v2/test/monolithicwrong/blobs/" + claimed).statusCode());
        assertEquals(404, client.head("/v2/test/monolithicwrong/blobs/" + sha256(content)).statusCode());
    }

    @Test
    void mountFromARepositoryHoldingTheBlobReturns201() {
        String digest = client.pushBlob("test/mountfrom", randomBytes(100));
        HttpResponse<byte[]> r = client.post("/v2/test/mountinto/blobs/uploads/?mount=" + digest
                + "&from=test/mountfrom", null);
        assertEquals(201, r.statusCode());
        assertEquals("/v2/test/mountinto/blobs/" + digest, location(r));
        assertEquals(digest, header(r, "Docker-Content-Digest"));
        assertEquals(200, client.head("/v2/test/mountinto/blobs/" + digest).statusCode());
    }

    @Test
    void mountFromARepositoryLackingTheBlobOpensANormalSession() {
        client.pushBlob("test/mountempty", randomBytes(10));
        String digest = client.pushBlob("test/mountelsewhere", randomBytes(100));

        for (String from : new String[] {"test/mountempty", "test/nosuchrepository"}) {
            HttpResponse<byte[]> r = client.post("/v2/test/mountlacking/blobs/uploads/?mount=" + digest
                    + "&from=" + from, null);
            assertEquals(202, r.statusCode(), from);
            assertNotNull(header(r, "Docker-Upload-UUID"));
            assertEquals("0-0", header(r, "Range"));
            assertEquals(204, client.get(location(r)).statusCode(), "the session exists");
        }
        assertEquals(404, client.head("/v2/test/mountlacking/blobs/" + digest).statusCode());
    }

    @Test
    void streamedPatchesAccumulate() {
        String session = client.startUpload("test/streamed");
        byte[] a = randomBytes(1000);
        byte[] b = randomBytes(2345);

        HttpResponse<byte[]> first = client.patch(session, a);
        assertEquals(202, first.statusCode());
        assertEquals("0-999", header(first, "Range"));
        assertNotNull(header(first, "Docker-Upload-UUID"));

        // chunked transfer encoding: no Content-Length, no Content-Range
        HttpResponse<byte[]> second = client.send(client.request(location(first))
                .method("PATCH", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(b))));
        assertEquals(202, second.statusCode());
        assertEquals("0-3344", header(second, "Range"));

        byte[] whole = concat(a, b);
        String digest = sha256(whole);
        HttpResponse<byte[]> done = client.put(location(second) + sep(location(second)) + "digest=" + digest, null);
        assertEquals(201, done.statusCode(), () -> OciTestClient.body(done));
        assertArrayEquals(whole, client.get("/v2/test/streamed/blobs/" + digest).body());
    }

    @Test
    void chunksWithContentRangeAccumulate() {
        String session = client.startUpload("test/chunked");
        byte[] a = randomBytes(100);
        byte[] b = randomBytes(50);

        HttpResponse<byte[]> first = client.patch(session, a, "Content-Range", "0-99");
        assertEquals(202, first.statusCode(), () -> OciTestClient.body(first));
        assertEquals("0-99", header(first, "Range"));

        HttpResponse<byte[]> second = client.patch(location(first), b, "Content-Range", "100-149");
        assertEquals(202, second.statusCode(), () -> OciTestClient.body(second));
        assertEquals("0-149", header(second, "Range"));

        HttpResponse<byte[]> status = client.get(location(second));
        assertEquals(204, status.statusCode());
        assertEquals("0-149", header(status, "Range"));
        assertNotNull(header(status, "Docker-Upload-UUID"));
        assertNotNull(header(status, "Location"));
    }

    @Test
    void chunkLeavingAGapIsRejectedAndTheSessionIsUnchanged() {
        String session = client.startUpload("test/chunkgap");
        assertEquals(202, client.patch(session, randomBytes(100), "Content-Range", "0-99").statusCode());

        assertError(client.patch(session, randomBytes(10), "Content-Range", "110-119"), 416, "BLOB_UPLOAD_INVALID");

        HttpResponse<byte[]> status = client.get(session);
        assertEquals(204, status.statusCode());
        assertEquals("0-99", header(status, "Range"));
    }

    @Test
    void chunkOverlappingReceivedBytesIsRejectedAndTheSessionIsUnchanged() {
        String session = client.startUpload("test/chunkoverlap");
        byte[] a = randomBytes(100);
        assertEquals(202, client.patch(session, a, "Content-Range", "0-99").statusCode());

        assertError(client.patch(session, randomBytes(20), "Content-Range", "90-109"), 416, "BLOB_UPLOAD_INVALID");
        assertEquals("0-99", header(client.get(session), "Range"));

        // the session still completes with exactly the bytes accepted before
        HttpResponse<byte[]> done = client.put(session + sep(session) + "digest=" + sha256(a), null);
        assertEquals(201, done.statusCode(), () -> OciTestClient.body(done));
    }

    @Test
    void putWithAFinalChunkCompletesTheUpload() {
        String session = client.startUpload("test/finalchunk");
        byte[] a = randomBytes(300);
        byte[] b = randomBytes(200);
        HttpResponse<byte[]> first = client.patch(session, a, "Content-Range", "0-299");
        byte[] whole = concat(a, b);
        String digest = sha256(whole);

        String url = location(first);
        HttpResponse<byte[]> r = client.put(url + sep(url) + "digest=" + digest, b, "Content-Range", "300-499");
        assertEquals(201, r.statusCode(), () -> OciTestClient.body(r));
        assertEquals("/v2/test/finalchunk/blobs/" + digest, location(r));
        assertEquals(digest, header(r, "Docker-Content-Digest"));
        assertArrayEquals(whole, client.get("/v2/test/finalchunk/blobs/" + digest).body());
        assertError(client.get(url), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void putWithoutAFinalChunkCompletesTheUpload() {
        String session = client.startUpload("test/nofinalchunk");
        byte[] a = randomBytes(300);
        String url = location(client.patch(session, a));
        String digest = sha256(a);

        HttpResponse<byte[]> r = client.put(url + sep(url) + "digest=" + digest, null);
        assertEquals(201, r.statusCode(), () -> OciTestClient.body(r));
        assertEquals("/v2/test/nofinalchunk/blobs/" + digest, location(r));
        assertEquals(digest, header(r, "Docker-Content-Digest"));
        HttpResponse<byte[]> head = client.head("/v2/test/nofinalchunk/blobs/" + digest);
        assertEquals(200, head.statusCode());
        assertEquals("300", header(head, "Content-Length"));
    }

    @Test
    void putOfTheWholeBlobIntoAFreshSessionCompletesIt() {
        String session = client.startUpload("test/putonly");
        byte[] a = randomBytes(123);
        String digest = sha256(a);
        HttpResponse<byte[]> r = client.put(session + sep(session) + "digest=" + digest, a);
        assertEquals(201, r.statusCode(), () -> OciTestClient.body(r));
        assertArrayEquals(a, client.get("/v2/test/putonly/blobs/" + digest).body());
    }

    @Test
    void statusReports204WithTheRange() {
        String session = client.startUpload("test/status");
        HttpResponse<byte[]> empty = client.get(session);
        assertEquals(204, empty.statusCode());
        assertEquals("0-0", header(empty, "Range"));
        assertEquals(session, location(empty));

        client.patch(session, randomBytes(42));
        HttpResponse<byte[]> after = client.get(session);
        assertEquals(204, after.statusCode());
        assertEquals("0-41", header(after, "Range"));
    }

    @Test
    void deleteCancelsTheSession() {
        String session = client.startUpload("test/cancel");
        client.patch(session, randomBytes(42));

        HttpResponse<byte[]> r = client.delete(session);
        assertEquals(204, r.statusCode());

        assertError(client.get(session), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.patch(session, randomBytes(1)), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.delete(session), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void unknownUploadIdIs404BlobUploadUnknown() {
        client.startUpload("test/unknownupload");
        String url = "/v2/test/unknownupload/blobs/uploads/00000000-0000-0000-0000-000000000000";
        assertError(client.get(url), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.patch(url, randomBytes(5)), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.put(url + "?digest=" + sha256(new byte[0]), null), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.delete(url), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void sessionOfOneRepositoryIsUnknownInAnother() {
        String session = client.startUpload("test/sessionowner");
        client.startUpload("test/sessionother");
        String id = session.substring(session.lastIndexOf('/') + 1);
        int q = id.indexOf('?');
        id = q < 0 ? id : id.substring(0, q);
        assertError(client.get("/v2/test/sessionother/blobs/uploads/" + id), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void putWithAWrongDigestIsRejectedAndTheBlobIsNotVisible() {
        String session = client.startUpload("test/wrongdigest");
        byte[] a = randomBytes(200);
        client.patch(session, a);
        String wrong = sha256("not these bytes".getBytes());

        assertError(client.put(session + sep(session) + "digest=" + wrong, null), 400, "DIGEST_INVALID");

        assertError(client.get("/v2/test/wrongdigest/blobs/" + wrong), 404, "BLOB_UNKNOWN");
        assertEquals(404, client.head("/v2/test/wrongdigest/blobs/" + wrong).statusCode());
        assertEquals(404, client.head("/v2/test/wrongdigest/blobs/" + sha256(a)).statusCode());
    }

    @Test
    void putWithoutADigestIsRejected() {
        String session = client.startUpload("test/nodigest");
        byte[] a = randomBytes(200);
        client.patch(session, a);

        assertError(client.put(session, null), 400, "DIGEST_INVALID");
        assertEquals(404, client.head("/v2/test/nodigest/blobs/" + sha256(a)).statusCode());
        assertEquals("0-199", header(client.get(session), "Range"), "the session is still open");
    }

    @Test
    void chunkWhoseContentRangeDisagreesWithItsLengthIsRejected() {
        String session = client.startUpload("test/rangelength");
        assertError(client.patch(session, randomBytes(10), "Content-Range", "0-19"), 400, "BLOB_UPLOAD_INVALID");
        assertEquals("0-0", header(client.get(session), "Range"));
    }

    private static String sep(String url) {
        return url.contains("?") ? "&" : "?";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
