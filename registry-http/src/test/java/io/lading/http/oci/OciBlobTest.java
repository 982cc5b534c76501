package io.lading.http.oci;

import static io.lading.http.oci.OciTestClient.assertError;
import static io.lading.http.oci.OciTestClient.header;
import static io.lading.http.oci.OciTestClient.randomBytes;
import static io.lading.http.oci.OciTestClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.http.testing.LadingServer;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET|HEAD /v2/<name>/blobs/<digest>}, ranges included; DELETE is unsupported, as on ECR. */
class OciBlobTest {

    @RegisterExtension
    static LadingServer server = new LadingServer();

    private OciTestClient client;

    @BeforeEach
    void setUp() {
        client = new OciTestClient(server.baseUri());
    }

    @Test
    void getReturnsTheBlobWithLengthAndDigest() {
        byte[] content = randomBytes(1000);
        String digest = client.pushBlob("test/getblob", content);

        HttpResponse<byte[]> r = client.get("/v2/test/getblob/blobs/" + digest);
        assertEquals(200, r.statusCode());
        assertArrayEquals(content, r.body());
        assertEquals("1000", header(r, "Content-Length"));
        assertEquals(digest, header(r, "Docker-Content-Digest"));
    }

    @Test
    void headReturnsTheHeadersWithoutABody() {
        byte[] content = randomBytes(777);
        String digest = client.pushBlob("test/headblob", content);

        HttpResponse<byte[]> r = client.head("/v2/test/headblob/blobs/" + digest);
        assertEquals(200, r.statusCode());
        assertEquals(0, r.body().length);
        assertEquals("777", header(r, "Content-Length"));
        assertEquals(digest, header(r, "Docker-Content-Digest"));
    }

    @Test
    void closedRangeReturnsExactlyThoseBytes() {
        byte[] content = randomBytes(100);
        String digest = client.pushBlob("test/closedrange", content);

        HttpResponse<byte[]> r = client.get("/v2/test/closedrange/blobs/" + digest, "Range", "bytes=10-19");
        assertEquals(206, r.statusCode());
        assertEquals("bytes 10-19/100", header(r, "Content-Range"));
        assertEquals("10", header(r, "Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(content, 10, 20), r.body());
        assertEquals(digest, header(r, "Docker-Content-Digest"));

        HttpResponse<byte[]> past = client.get("/v2/test/closedrange/blobs/" + digest, "Range", "bytes=90-500");
        assertEquals(206, past.statusCode());
        assertEquals("bytes 90-99/100", header(past, "Content-Range"), "the end is clamped to the blob");
        assertArrayEquals(Arrays.copyOfRange(content, 90, 100), past.body());
    }

    @Test
    void openEndedRangeReturnsTheRestOfTheBlob() {
        byte[] content = randomBytes(100);
        String digest = client.pushBlob("test/openrange", content);

        HttpResponse<byte[]> r = client.get("/v2/test/openrange/blobs/" + digest, "Range", "bytes=37-");
        assertEquals(206, r.statusCode());
        assertEquals("bytes 37-99/100", header(r, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(content, 37, 100), r.body());
    }

    @Test
    void suffixRangeReturnsTheLastBytes() {
        byte[] content = randomBytes(100);
        String digest = client.pushBlob("test/suffixrange", content);

        HttpResponse<byte[]> r = client.get("/v2/test/suffixrange/blobs/" + digest, "Range", "bytes=-8");
        assertEquals(206, r.statusCode());
        assertEquals("bytes 92-99/100", header(r, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(content, 92, 100), r.body());

        HttpResponse<byte[]> longer = client.get("/v2/test/suffixrange/blobs/" + digest, "Range", "bytes=-1000");
        assertEquals(206, longer.statusCode());
        assertEquals("bytes 0-99/100", header(longer, "Content-Range"));
        assertArrayEquals(content, longer.body());
    }

    @Test
    void headWithRangeReportsThePartialLength() {
        byte[] content = randomBytes(100);
        String digest = client.pushBlob("test/headrange", content);

        HttpResponse<byte[]> r = client.head("/v2/test/headrange/blobs/" + digest, "Range", "bytes=0-9");
        assertEquals(206, r.statusCode());
        assertEquals("10", header(r, "Content-Length"));
        assertEquals(0, r.body().length);
    }

    @Test
    void unsatisfiableRangeIs416WithTheBlobSize() {
        byte[] content = randomBytes(100);
        String digest = client.pushBlob("test/unsatisfiable", content);

        for (String range : new String[] {"bytes=100-", "bytes=100-200", "bytes=5000-6000"}) {
            HttpResponse<byte[]> r = client.get("/v2/test/unsatisfiable/blobs/" + digest, "Range", range);
            assertEquals(416, r.statusCode(), range);
            assertEquals("bytes */100", header(r, "Content-Range"), range);
            OciTestClient.errorCodes(r.body());
        }
    }

    @Test
    void unknownBlobIs404BlobUnknown() {
        client.pushBlob("test/unknownblob", randomBytes(10));
        String missing = sha256("never pushed".getBytes());

        JsonNode error = assertError(client.get("/v2/test/unknownblob/blobs/" + missing), 404, "BLOB_UNKNOWN");
        assertEquals(missing, error.get("detail").get("digest").asText());

        HttpResponse<byte[]> head = client.head("/v2/test/unknownblob/blobs/" + missing);
        assertEquals(404, head.statusCode());
        assertEquals(0, head.body().length);
    }

    @Test
    void blobOfUnknownRepositoryIs404NameUnknown() {
        assertError(client.get("/v2/test/nosuchrepo/blobs/" + sha256(new byte[1])), 404, "NAME_UNKNOWN");
    }

    @Test
    void deleteIsUnsupportedAndTheBlobStays() {
        byte[] content = randomBytes(64);
        String digest = client.pushBlob("test/deleteblob", content);

        assertError(client.delete("/v2/test/deleteblob/blobs/" + digest), 405, "UNSUPPORTED");
        assertError(client.delete("/v2/test/no-such-repo/blobs/" + digest), 405, "UNSUPPORTED");

        HttpResponse<byte[]> r = client.get("/v2/test/deleteblob/blobs/" + digest);
        assertEquals(200, r.statusCode());
        assertArrayEquals(content, r.body());
    }

    @Test
    void blobOfAnotherRepositoryIsInvisibleUntilMounted() {
        byte[] content = randomBytes(256);
        String digest = client.pushBlob("test/mountsource", content);
        client.pushBlob("test/mounttarget", randomBytes(16)); // the target exists, without that blob

        assertError(client.get("/v2/test/mounttarget/blobs/" + digest), 404, "BLOB_UNKNOWN");
        assertEquals(404, client.head("/v2/test/mounttarget/blobs/" + digest).statusCode());

        HttpResponse<byte[]> mount = client.post("/v2/test/mounttarget/blobs/uploads/?mount=" + digest
                + "&from=test/mountsource", null);
        assertEquals(201, mount.statusCode(), () -> OciTestClient.body(mount));

        HttpResponse<byte[]> r = client.get("/v2/test/mounttarget/blobs/" + digest);
        assertEquals(200, r.statusCode());
        assertArrayEquals(content, r.body());
    }
}
