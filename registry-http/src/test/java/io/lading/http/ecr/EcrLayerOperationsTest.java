package io.lading.http.ecr;

import static io.lading.http.ecr.EcrTestImages.DOCKER_MANIFEST;
import static io.lading.http.ecr.EcrTestImages.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.ecr.EcrTestImages.Blob;
import io.lading.http.ecr.EcrTestImages.Pushed;
import io.lading.http.testing.LadingServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchCheckLayerAvailabilityResponse;
import software.amazon.awssdk.services.ecr.model.CompleteLayerUploadResponse;
import software.amazon.awssdk.services.ecr.model.EmptyUploadException;
import software.amazon.awssdk.services.ecr.model.GetDownloadUrlForLayerResponse;
import software.amazon.awssdk.services.ecr.model.InitiateLayerUploadResponse;
import software.amazon.awssdk.services.ecr.model.InvalidLayerException;
import software.amazon.awssdk.services.ecr.model.InvalidLayerPartException;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.Layer;
import software.amazon.awssdk.services.ecr.model.LayerAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.LayerFailure;
import software.amazon.awssdk.services.ecr.model.LayerInaccessibleException;
import software.amazon.awssdk.services.ecr.model.LayerPartTooSmallException;
import software.amazon.awssdk.services.ecr.model.LayersNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.UploadLayerPartResponse;
import software.amazon.awssdk.services.ecr.model.UploadNotFoundException;

/** BatchCheckLayerAvailability, the layer upload operations and GetDownloadUrlForLayer through the SDK. */
class EcrLayerOperationsTest {

    private static final int MIB = 1024 * 1024;

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server("--auth.dataPlane=required");

    static EcrClient ecr;

    @BeforeAll
    static void client() {
        ecr = EcrTestSupport.client(server);
        ecr.createRepository(b -> b.repositoryName("layers/repo"));
    }

    @AfterAll
    static void close() {
        ecr.close();
    }

    private static final String REPO = "layers/repo";

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String initiate() {
        return ecr.initiateLayerUpload(b -> b.repositoryName(REPO)).uploadId();
    }

    private static UploadLayerPartResponse part(String uploadId, long first, byte[] bytes) {
        return ecr.uploadLayerPart(b -> b.repositoryName(REPO).uploadId(uploadId).partFirstByte(first)
                .partLastByte(first + bytes.length - 1).layerPartBlob(SdkBytes.fromByteArray(bytes)));
    }

    private static CompleteLayerUploadResponse complete(String uploadId, String... digests) {
        return ecr.completeLayerUpload(b -> b.repositoryName(REPO).uploadId(uploadId).layerDigests(digests));
    }

    @Test
    void uploadsALayerInPartsWithAnIdempotentRetry() throws Exception {
        InitiateLayerUploadResponse init = ecr.initiateLayerUpload(b -> b.repositoryName(REPO));
        assertTrue(init.uploadId().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
        assertEquals(10485760L, init.partSize());
        String id = init.uploadId();
        // the session is the one /v2 uses
        HttpResponse<byte[]> status = EcrTestImages.v2(server, "GET", "/v2/" + REPO + "/blobs/uploads/" + id, null, true);
        assertEquals(204, status.statusCode());

        byte[] layer = random(5 * MIB + 1000, 1);
        byte[] head = Arrays.copyOfRange(layer, 0, 5 * MIB);
        byte[] tail = Arrays.copyOfRange(layer, 5 * MIB, layer.length);
        UploadLayerPartResponse p1 = part(id, 0, head);
        assertEquals(EcrTestSupport.ACCOUNT, p1.registryId());
        assertEquals(REPO, p1.repositoryName());
        assertEquals(id, p1.uploadId());
        assertEquals(5L * MIB - 1, p1.lastByteReceived());
        assertEquals(layer.length - 1L, part(id, 5 * MIB, tail).lastByteReceived());
        // an exact retry of the last part succeeds again
        assertEquals(layer.length - 1L, part(id, 5 * MIB, tail).lastByteReceived());

        String digest = sha256(layer);
        CompleteLayerUploadResponse done = complete(id, digest);
        assertEquals(EcrTestSupport.ACCOUNT, done.registryId());
        assertEquals(REPO, done.repositoryName());
        assertEquals(id, done.uploadId());
        assertEquals(digest, done.layerDigest());
        assertThrows(UploadNotFoundException.class, () -> part(id, layer.length, new byte[] {1}));

        String unknown = "sha256:" + "9".repeat(64);
        BatchCheckLayerAvailabilityResponse check = ecr.batchCheckLayerAvailability(b -> b.repositoryName(REPO)
                .layerDigests(digest, unknown, "", "not-a-digest"));
        assertEquals(2, check.layers().size());
        Layer available = check.layers().get(0);
        assertEquals(digest, available.layerDigest());
        assertEquals("AVAILABLE", available.layerAvailabilityAsString());
        assertEquals(layer.length, available.layerSize());
        Layer unavailable = check.layers().get(1);
        assertEquals(unknown, unavailable.layerDigest());
        assertEquals("UNAVAILABLE", unavailable.layerAvailabilityAsString());
        assertNull(unavailable.layerSize());
        assertEquals(2, check.failures().size());
        LayerFailure missing = check.failures().get(0);
        assertEquals("", missing.layerDigest());
        assertEquals("MissingLayerDigest", missing.failureCodeAsString());
        LayerFailure invalid = check.failures().get(1);
        assertEquals("not-a-digest", invalid.layerDigest());
        assertEquals("InvalidLayerDigest", invalid.failureCodeAsString());

        // the blob is readable on /v2 with credentials
        HttpResponse<byte[]> blob = EcrTestImages.v2(server, "GET", "/v2/" + REPO + "/blobs/" + digest, null, true);
        assertEquals(200, blob.statusCode());
        assertArrayEquals(layer, blob.body());

        assertThrows(InvalidParameterException.class, () -> ecr.batchCheckLayerAvailability(b -> b.repositoryName(REPO)
                .layerDigests(List.of())));
        assertThrows(RepositoryNotFoundException.class, () -> ecr.batchCheckLayerAvailability(b -> b
                .repositoryName("layers/none").layerDigests(digest)));
    }

    @Test
    void refusesPartsThatAreOutOfOrderOrMalformed() {
        String id = initiate();
        InvalidLayerPartException early = assertThrows(InvalidLayerPartException.class,
                () -> part(id, 10, new byte[] {1, 2, 3}));
        assertEquals(EcrTestSupport.ACCOUNT, early.registryId());
        assertEquals(REPO, early.repositoryName());
        assertEquals(id, early.uploadId());
        assertNull(early.lastValidByteReceived());

        part(id, 0, new byte[] {1, 2, 3, 4});
        InvalidLayerPartException gap = assertThrows(InvalidLayerPartException.class,
                () -> part(id, 10, new byte[] {5}));
        assertEquals("The layer part does not start at the expected byte", gap.awsErrorDetails().errorMessage());
        assertEquals(3L, gap.lastValidByteReceived());
        assertEquals(id, gap.uploadId());
        // a repeated range with other bytes is not a retry
        assertThrows(InvalidLayerPartException.class, () -> part(id, 0, new byte[] {9, 9, 9, 9}));

        InvalidLayerPartException length = assertThrows(InvalidLayerPartException.class, () -> ecr.uploadLayerPart(b -> b
                .repositoryName(REPO).uploadId(id).partFirstByte(4L).partLastByte(9L)
                .layerPartBlob(SdkBytes.fromByteArray(new byte[] {1, 2}))));
        assertEquals(3L, length.lastValidByteReceived());
        assertThrows(InvalidLayerPartException.class, () -> ecr.uploadLayerPart(b -> b.repositoryName(REPO)
                .uploadId(id).partFirstByte(4L).partLastByte(2L).layerPartBlob(SdkBytes.fromByteArray(new byte[] {1}))));
        InvalidLayerPartException big = assertThrows(InvalidLayerPartException.class,
                () -> part(id, 4, new byte[20 * MIB + 1]));
        assertEquals(3L, big.lastValidByteReceived());
        // nothing of the refused parts was stored
        assertEquals(7L, part(id, 4, new byte[] {5, 6, 7, 8}).lastByteReceived());

        assertThrows(UploadNotFoundException.class, () -> ecr.uploadLayerPart(b -> b.repositoryName(REPO)
                .uploadId("00000000-0000-4000-8000-000000000000").partFirstByte(0L).partLastByte(0L)
                .layerPartBlob(SdkBytes.fromByteArray(new byte[] {1}))));
        assertThrows(InvalidParameterException.class, () -> ecr.uploadLayerPart(b -> b.repositoryName(REPO)
                .uploadId("not-an-id").partFirstByte(0L).partLastByte(0L)
                .layerPartBlob(SdkBytes.fromByteArray(new byte[] {1}))));
        ecr.createRepository(b -> b.repositoryName("layers/elsewhere"));
        assertThrows(UploadNotFoundException.class, () -> ecr.uploadLayerPart(b -> b.repositoryName("layers/elsewhere")
                .uploadId(id).partFirstByte(8L).partLastByte(8L).layerPartBlob(SdkBytes.fromByteArray(new byte[] {1}))));
        assertThrows(RepositoryNotFoundException.class, () -> ecr.initiateLayerUpload(b -> b.repositoryName("layers/none")));
    }

    @Test
    void completeChecksTheUploadAndAlwaysClosesTheSession() {
        String small = initiate();
        part(small, 0, new byte[] {1});
        part(small, 1, new byte[] {2});
        assertThrows(LayerPartTooSmallException.class, () -> complete(small, sha256(new byte[] {1, 2})));
        assertThrows(UploadNotFoundException.class, () -> part(small, 2, new byte[] {3}));

        String empty = initiate();
        assertThrows(EmptyUploadException.class, () -> complete(empty, sha256(new byte[0])));
        assertThrows(UploadNotFoundException.class, () -> complete(empty, sha256(new byte[0])));

        String wrong = initiate();
        part(wrong, 0, "content".getBytes(StandardCharsets.UTF_8));
        assertThrows(InvalidLayerException.class, () -> complete(wrong, sha256("other content")));
        assertThrows(UploadNotFoundException.class, () -> complete(wrong, sha256("content")));
        assertEquals("UNAVAILABLE", ecr.batchCheckLayerAvailability(b -> b.repositoryName(REPO)
                .layerDigests(sha256("content"))).layers().get(0).layerAvailabilityAsString());

        Blob existing = EcrTestImages.pushBlob(ecr, REPO, "already here");
        String again = initiate();
        part(again, 0, existing.bytes());
        assertThrows(LayerAlreadyExistsException.class, () -> complete(again, existing.digest()));
        assertThrows(UploadNotFoundException.class, () -> part(again, existing.bytes().length, new byte[] {1}));

        String params = initiate();
        part(params, 0, new byte[] {1});
        assertThrows(InvalidParameterException.class, () -> complete(params, sha256(new byte[] {1}),
                sha256(new byte[] {2})));
        assertThrows(InvalidParameterException.class, () -> complete(params, "sha512:" + "a".repeat(128)));
        assertThrows(InvalidParameterException.class, () -> complete(params, "nonsense"));
        // parameter errors leave the session open
        assertEquals(sha256(new byte[] {1}), complete(params, sha256(new byte[] {1})).layerDigest());
        assertThrows(UploadNotFoundException.class, () -> complete("00000000-0000-4000-8000-000000000000",
                sha256(new byte[] {1})));
    }

    @Test
    void downloadUrlWorksWithoutCredentialsAndNotAfterTampering() throws Exception {
        ecr.createRepository(b -> b.repositoryName("layers/download"));
        Blob loose = EcrTestImages.pushBlob(ecr, "layers/download", "uploaded but never used");
        String absent = "sha256:" + "8".repeat(64);
        LayersNotFoundException notFound = assertThrows(LayersNotFoundException.class, () -> ecr.getDownloadUrlForLayer(
                b -> b.repositoryName("layers/download").layerDigest(absent)));
        assertEquals("The layer with digest '" + absent + "' does not exist within the repository with name "
                + "'layers/download' in the registry with id '" + EcrTestSupport.ACCOUNT + "'",
                notFound.awsErrorDetails().errorMessage());
        assertThrows(LayerInaccessibleException.class, () -> ecr.getDownloadUrlForLayer(b -> b
                .repositoryName("layers/download").layerDigest(loose.digest())));
        assertThrows(InvalidParameterException.class, () -> ecr.getDownloadUrlForLayer(b -> b
                .repositoryName("layers/download").layerDigest("nonsense")));
        assertThrows(RepositoryNotFoundException.class, () -> ecr.getDownloadUrlForLayer(b -> b
                .repositoryName("layers/none").layerDigest(absent)));

        Pushed image = EcrTestImages.pushImage(ecr, "layers/download", DOCKER_MANIFEST, "dl", "v1");
        GetDownloadUrlForLayerResponse r = ecr.getDownloadUrlForLayer(b -> b.repositoryName("layers/download")
                .layerDigest(image.layer().digest()));
        assertEquals(image.layer().digest(), r.layerDigest());
        String url = r.downloadUrl();
        assertTrue(url.startsWith("http://" + server.hostPort() + "/v2/layers/download/blobs/" + image.layer().digest()
                + "?X-Lading-Expires="), url);
        assertTrue(url.contains("&X-Lading-Signature="), url);

        HttpResponse<byte[]> plain = EcrTestImages.get(url);
        assertEquals(200, plain.statusCode());
        assertArrayEquals(image.layer().bytes(), plain.body());
        HttpResponse<byte[]> head = EcrTestImages.head(url);
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(image.layer().size()), head.headers().firstValue("Content-Length").orElseThrow());
        // the config blob gets its own URL
        String configUrl = ecr.getDownloadUrlForLayer(b -> b.repositoryName("layers/download")
                .layerDigest(image.config().digest())).downloadUrl();
        assertArrayEquals(image.config().bytes(), EcrTestImages.get(configUrl).body());

        String signature = url.substring(url.indexOf("X-Lading-Signature=") + "X-Lading-Signature=".length());
        char flipped = signature.charAt(0) == 'A' ? 'B' : 'A';
        String forged = url.replace("X-Lading-Signature=" + signature, "X-Lading-Signature=" + flipped
                + signature.substring(1));
        assertDenied(forged);
        String expires = url.substring(url.indexOf("X-Lading-Expires=") + "X-Lading-Expires=".length(), url.indexOf('&'));
        assertDenied(url.replace("X-Lading-Expires=" + expires, "X-Lading-Expires=" + (Long.parseLong(expires) + 3600)));
        assertDenied(url.replace("X-Lading-Expires=" + expires, "X-Lading-Expires=1"));
        assertDenied(url.replace(image.layer().digest(), image.config().digest()));
        assertDenied(url.replace("/v2/layers/download/", "/v2/layers/repo/"));
        assertDenied(url.substring(0, url.indexOf('&')));
        assertEquals(403, EcrTestImages.head(forged).statusCode());
        // a presigned URL grants nothing but that blob: the manifest still needs credentials
        String query = url.substring(url.indexOf('?'));
        HttpResponse<byte[]> manifest = EcrTestImages.get("http://" + server.hostPort() + "/v2/layers/download/manifests/v1"
                + query);
        assertEquals(401, manifest.statusCode());
        assertFalse(URI.create(url).getQuery().isEmpty());
    }

    private static void assertDenied(String url) throws Exception {
        HttpResponse<byte[]> r = EcrTestImages.get(url);
        assertEquals(403, r.statusCode(), url);
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("DENIED"));
    }
}
