package io.lading.http.oci;

import static io.lading.http.oci.OciTestClient.header;
import static io.lading.http.oci.OciTestClient.randomBytes;
import static io.lading.http.oci.OciTestClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import io.lading.storage.s3.S3MockServer;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Lading with {@code storage.blobs: s3} on S3Mock in this JVM, through the OCI API and
 * GetDownloadUrlForLayer: pushes (one request and multipart), manifests read back from S3, downloads
 * redirected to a pre-signed S3 URL by default or streamed through Lading with {@code downloads: proxy},
 * ranges both ways, garbage collection of objects, and S3 that cannot be reached answered with the API's
 * own 503.
 */
class OciBlobsOnS3Test {

    private static final int PART = 5 * 1024 * 1024;

    @RegisterExtension
    @Order(1)
    static final S3MockServer S3 = new S3MockServer();
    @RegisterExtension
    @Order(2)
    static final LadingServer redirecting = LadingServer.withFlags(() -> s3Flags("redirecting", "redirect"));
    @RegisterExtension
    @Order(3)
    static final LadingServer proxying = LadingServer.withFlags(() -> s3Flags("proxying", "proxy"));
    /** Blobs on an S3 endpoint where nothing listens, one attempt per request. */
    @RegisterExtension
    @Order(4)
    static final LadingServer unreachable = LadingServer.withFlags(() -> List.of("--storage.blobs=s3",
            "--storage.s3.bucket=nowhere", "--storage.s3.endpoint=http://127.0.0.1:1", "--storage.s3.pathStyle=true",
            "--storage.s3.accessKeyId=test", "--storage.s3.secretAccessKey=test", "--storage.s3.maxAttempts=1"));

    /** Garbage collection without a grace period: a run marks, the next deletes. */
    @RegisterExtension
    @Order(5)
    static final LadingServer collecting = LadingServer.withFlags(() -> {
        List<String> flags = new ArrayList<>(s3Flags("collecting", "redirect"));
        flags.add("--lifecycle.gcGracePeriod=PT0S");
        return flags;
    });

    /** Proxying with a single connection to S3: a download that leaked it would block every later one. */
    @RegisterExtension
    @Order(6)
    static final LadingServer narrow = LadingServer.withFlags(() -> {
        List<String> flags = new ArrayList<>(s3Flags("narrow", "proxy"));
        flags.add("--storage.s3.maxConnections=1");
        return flags;
    });

    private final HttpClient plain = HttpClient.newHttpClient();

    private static List<String> s3Flags(String prefix, String downloads) {
        return List.of("--storage.blobs=s3", "--storage.s3.bucket=" + S3MockServer.BUCKET,
                "--storage.s3.endpoint=" + S3.url(), "--storage.s3.pathStyle=true",
                "--storage.s3.accessKeyId=test-key", "--storage.s3.secretAccessKey=test-secret",
                "--storage.s3.prefix=" + prefix, "--storage.s3.partSize=" + PART,
                "--storage.s3.downloads=" + downloads);
    }

    @Test
    void aPullIsARedirectToAPresignedS3UrlThatServesTheBlobAndItsRanges() throws Exception {
        OciTestClient client = new OciTestClient(redirecting.baseUri());
        byte[] large = randomBytes(PART + 4321); // two parts
        String digest = client.pushBlob("s3/redirect", large);

        HttpResponse<byte[]> r = client.get("/v2/s3/redirect/blobs/" + digest);

        assertEquals(307, r.statusCode());
        assertEquals(digest, header(r, "Docker-Content-Digest"));
        URI location = URI.create(header(r, "Location"));
        assertTrue(location.toString().startsWith(S3.url() + "/" + S3MockServer.BUCKET + "/redirecting/blobs/sha256/"),
                location.toString());
        assertArrayEquals(large, fetch(location, null, 200));
        HttpResponse<byte[]> ranged = client.get("/v2/s3/redirect/blobs/" + digest, "Range", "bytes=5242000-5243999");
        assertEquals(307, ranged.statusCode(), "the client sends its Range to S3");
        assertArrayEquals(Arrays.copyOfRange(large, 5_242_000, 5_244_000),
                fetch(URI.create(header(ranged, "Location")), "bytes=5242000-5243999", 206));
        HttpResponse<byte[]> head = client.head("/v2/s3/redirect/blobs/" + digest);
        assertEquals(200, head.statusCode(), "HEAD is answered from metadata, not redirected");
        assertEquals(String.valueOf(large.length), header(head, "Content-Length"));
    }

    @Test
    void aManifestPushedThroughS3IsReadBackFromIt() {
        OciTestClient client = new OciTestClient(redirecting.baseUri());

        OciTestClient.Pushed image = client.pushImage("s3/image", "v1", OciTestClient.OCI_MANIFEST);

        HttpResponse<byte[]> byTag = client.get("/v2/s3/image/manifests/v1", "Accept", OciTestClient.OCI_MANIFEST);
        assertEquals(200, byTag.statusCode());
        assertArrayEquals(image.bytes(), byTag.body());
        assertEquals(image.digest(), header(byTag, "Docker-Content-Digest"));
        HttpResponse<byte[]> layer = client.get("/v2/s3/image/blobs/" + image.layers().get(0).digest());
        assertEquals(307, layer.statusCode());
    }

    @Test
    void aProxyingNodeStreamsTheBlobAndItsRangesItself() {
        OciTestClient client = new OciTestClient(proxying.baseUri());
        byte[] large = randomBytes(PART + 999_999);
        String digest = client.pushBlob("s3/proxy", large);

        HttpResponse<byte[]> r = client.get("/v2/s3/proxy/blobs/" + digest);

        assertEquals(200, r.statusCode());
        assertArrayEquals(large, r.body());
        assertEquals(String.valueOf(large.length), header(r, "Content-Length"));
        HttpResponse<byte[]> ranged = client.get("/v2/s3/proxy/blobs/" + digest, "Range", "bytes=-1000");
        assertEquals(206, ranged.statusCode());
        assertEquals("bytes " + (large.length - 1000) + "-" + (large.length - 1) + "/" + large.length,
                header(ranged, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(large, large.length - 1000, large.length), ranged.body());
        byte[] small = randomBytes(10);
        String smallDigest = client.pushBlob("s3/proxy", small);
        assertArrayEquals(small, client.get("/v2/s3/proxy/blobs/" + smallDigest).body());
    }

    @Test
    void aClientLeavingAProxiedDownloadReleasesItsS3Connection() throws Exception {
        OciTestClient client = new OciTestClient(narrow.baseUri());
        byte[] large = randomBytes(PART + 1_000_000);
        String digest = client.pushBlob("s3/narrow", large);

        for (int i = 0; i < 3; i++) {
            try (Socket socket = new Socket("127.0.0.1", narrow.port())) {
                socket.setSoTimeout(20_000); // a leaked connection makes the next download wait: fail, do not hang
                socket.getOutputStream().write(("GET /v2/s3/narrow/blobs/" + digest + " HTTP/1.1\r\nHost: "
                        + narrow.hostPort() + "\r\nAuthorization: " + OciTestClient.AUTHORIZATION + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] some = socket.getInputStream().readNBytes(64 * 1024); // the head and the first bytes
                assertTrue(new String(some, 0, 12, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
            } // closed with most of the blob unsent
        }

        HttpResponse<byte[]> whole = client.get("/v2/s3/narrow/blobs/" + digest);
        assertEquals(200, whole.statusCode(), "the one S3 connection is free again");
        assertArrayEquals(large, whole.body());
    }

    @Test
    void getDownloadUrlForLayerIsThePresignedS3UrlWhenDownloadsRedirect() throws Exception {
        OciTestClient.Pushed onRedirecting = new OciTestClient(redirecting.baseUri())
                .pushImage("s3/ecr", "v1", OciTestClient.DOCKER_MANIFEST);
        OciTestClient.Pushed onProxying = new OciTestClient(proxying.baseUri())
                .pushImage("s3/ecr", "v1", OciTestClient.DOCKER_MANIFEST);
        String layer = onRedirecting.layers().get(0).digest();

        String url;
        try (EcrClient ecr = EcrTestSupport.client(redirecting)) {
            url = ecr.getDownloadUrlForLayer(b -> b.repositoryName("s3/ecr").layerDigest(layer)).downloadUrl();
        }
        String proxied;
        try (EcrClient ecr = EcrTestSupport.client(proxying)) {
            proxied = ecr.getDownloadUrlForLayer(b -> b.repositoryName("s3/ecr")
                    .layerDigest(onProxying.layers().get(0).digest())).downloadUrl();
        }

        assertTrue(url.startsWith(S3.url() + "/"), url);
        assertEquals(sha256(fetch(URI.create(url), null, 200)), layer);
        assertTrue(proxied.startsWith("http://" + proxying.hostPort() + "/v2/s3/ecr/blobs/"), proxied);
    }

    @Test
    void unreachableS3IsTheApisOwn503AndLeavesNoBlob() {
        OciTestClient client = new OciTestClient(unreachable.baseUri());
        byte[] bytes = randomBytes(100);
        String digest = sha256(bytes);

        HttpResponse<byte[]> r = client.post("/v2/s3/down/blobs/uploads/?digest=" + digest, bytes);

        assertEquals(503, r.statusCode(), () -> new String(r.body()));
        List<String> codes = new ArrayList<>(OciTestClient.errorCodes(r.body()));
        assertEquals(List.of("UNKNOWN"), codes);
        assertEquals(404, client.head("/v2/s3/down/blobs/" + digest).statusCode());
    }

    @Test
    void garbageCollectionDeletesUnreferencedObjectsAndKeepsReferencedOnes() throws Exception {
        OciTestClient client = new OciTestClient(collecting.baseUri());
        OciTestClient.Pushed image = client.pushImage("s3/gc", "v1", OciTestClient.OCI_MANIFEST);
        String loose = client.pushBlob("s3/gc", randomBytes(2000));
        URI looseObject = object("collecting", loose);
        URI layerObject = object("collecting", image.layers().get(0).digest());
        fetch(looseObject, null, 200);

        for (int run = 0; run < 2; run++) { // the first marks, the second deletes what is still marked
            HttpResponse<byte[]> gc = plain.send(HttpRequest.newBuilder(URI.create(collecting.baseUri() + "/_lading/gc"))
                    .header("Authorization", OciTestClient.AUTHORIZATION).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, gc.statusCode(), () -> new String(gc.body()));
        }

        fetch(looseObject, null, 404);
        fetch(layerObject, null, 200);
        assertEquals(307, client.get("/v2/s3/gc/blobs/" + image.layers().get(0).digest()).statusCode());
    }

    /** The object of a blob in S3Mock, which needs no signature. */
    private static URI object(String prefix, String digest) {
        String hex = digest.substring("sha256:".length());
        return URI.create(S3.url() + "/" + S3MockServer.BUCKET + "/" + prefix + "/blobs/sha256/" + hex.substring(0, 2)
                + "/" + hex);
    }

    private byte[] fetch(URI url, String range, int status) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url);
        if (range != null) {
            b.header("Range", range);
        }
        HttpResponse<byte[]> r = plain.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(status, r.statusCode(), () -> new String(r.body()));
        return r.body();
    }
}
