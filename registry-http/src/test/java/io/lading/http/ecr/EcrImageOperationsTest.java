package io.lading.http.ecr;

import static io.lading.http.ecr.EcrTestImages.DOCKER_CONFIG;
import static io.lading.http.ecr.EcrTestImages.DOCKER_MANIFEST;
import static io.lading.http.ecr.EcrTestImages.OCI_CONFIG;
import static io.lading.http.ecr.EcrTestImages.OCI_INDEX;
import static io.lading.http.ecr.EcrTestImages.OCI_MANIFEST;
import static io.lading.http.ecr.EcrTestImages.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static io.lading.http.ecr.ImageIds.both;
import static io.lading.http.ecr.ImageIds.byDigest;
import static io.lading.http.ecr.ImageIds.byTag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.ecr.EcrTestImages.Blob;
import io.lading.http.ecr.EcrTestImages.Pushed;
import com.fasterxml.jackson.databind.JsonNode;
import io.lading.http.testing.LadingServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchDeleteImageResponse;
import software.amazon.awssdk.services.ecr.model.BatchGetImageResponse;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.Image;
import software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageDigestDoesNotMatchException;
import software.amazon.awssdk.services.ecr.model.ImageFailure;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageTagAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.LayersNotFoundException;
import software.amazon.awssdk.services.ecr.model.LimitExceededException;
import software.amazon.awssdk.services.ecr.model.ListImagesResponse;
import software.amazon.awssdk.services.ecr.model.PutImageResponse;
import software.amazon.awssdk.services.ecr.model.ReferencedImagesNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.TagStatus;

/**
 * PutImage, BatchGetImage, BatchDeleteImage, tag limits and immutability through the AWS SDK for Java v2
 * (listing and describing: {@link EcrImageListingTest}).
 */
class EcrImageOperationsTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server("--auth.dataPlane=required");

    static EcrClient ecr;

    @BeforeAll
    static void client() {
        ecr = EcrTestSupport.client(server);
    }

    @AfterAll
    static void close() {
        ecr.close();
    }

    @Test
    void anImageCarriesAtMostAThousandTagsOnBothPlanes() throws Exception {
        String repo = "quota/tags";
        ecr.createRepository(b -> b.repositoryName(repo));
        Pushed image = EcrTestImages.pushImage(ecr, repo, OCI_MANIFEST, "quota", "t0");
        byte[] manifest = image.manifest().getBytes(StandardCharsets.UTF_8);
        for (int i = 1; i < 1000; i++) {
            HttpResponse<byte[]> r = EcrTestImages.v2(server, "PUT", "/v2/" + repo + "/manifests/t" + i, manifest, true,
                    "Content-Type", OCI_MANIFEST);
            assertEquals(201, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        }
        HttpResponse<byte[]> over = EcrTestImages.v2(server, "PUT", "/v2/" + repo + "/manifests/t1000", manifest, true,
                "Content-Type", OCI_MANIFEST);
        assertEquals(403, over.statusCode());
        String body = new String(over.body(), StandardCharsets.UTF_8);
        JsonNode denied = EcrJson.MAPPER.readTree(over.body()).get("errors").get(0);
        assertEquals("DENIED", denied.get("code").asText(), body);
        // ECR's wording (ecr-behaviour.md 9), which names the registry
        assertEquals("Adding tag 't1000' to an image in the repository with name '" + repo + "' in registry with id '"
                + EcrTestSupport.ACCOUNT + "' exceeds the maximum allowed number of tags per image which is '1000'",
                denied.get("message").asText());
        LimitExceededException api = assertThrows(LimitExceededException.class, () -> ecr.putImage(b -> b
                .repositoryName(repo).imageManifest(image.manifest()).imageTag("t1001")));
        assertEquals("Adding tag 't1001' to an image in the repository with name '" + repo + "' in registry with id '"
                + EcrTestSupport.ACCOUNT + "' exceeds the maximum allowed number of tags per image which is '1000'",
                api.awsErrorDetails().errorMessage());
        // ?tag= on a digest push counts every new tag at once
        assertEquals(403, EcrTestImages.v2(server, "PUT", "/v2/" + repo + "/manifests/" + image.digest()
                + "?tag=x1&tag=x2", manifest, true, "Content-Type", OCI_MANIFEST).statusCode());
        // a tag it already has is no new tag; the refused ones were not set
        assertEquals(201, EcrTestImages.v2(server, "PUT", "/v2/" + repo + "/manifests/t5", manifest, true,
                "Content-Type", OCI_MANIFEST).statusCode());
        assertEquals(1000, ecr.describeImages(b -> b.repositoryName(repo)).imageDetails().get(0).imageTags().size());
        // moving one tag away frees a place
        ecr.batchDeleteImage(b -> b.repositoryName(repo).imageIds(byTag("t0")));
        ecr.putImage(b -> b.repositoryName(repo).imageManifest(image.manifest()).imageTag("t1001"));
        server.stop();
        server.start(); // the count is rebuilt at load
        try (EcrClient again = EcrTestSupport.client(server)) {
            assertThrows(LimitExceededException.class, () -> again.putImage(b -> b
                    .repositoryName(repo).imageManifest(image.manifest()).imageTag("t1002")));
        }
        ecr.close();
        ecr = EcrTestSupport.client(server);
    }

    private static ImageDetail describeOne(String repo, ImageIdentifier id) {
        DescribeImagesResponse r = ecr.describeImages(b -> b.repositoryName(repo).imageIds(id));
        assertEquals(1, r.imageDetails().size());
        return r.imageDetails().get(0);
    }

    @Test
    void putImageEchoesTheImageAndIsPullableOnV2() throws Exception {
        ecr.createRepository(b -> b.repositoryName("api/push"));
        Instant before = Instant.now().minusSeconds(1);
        Blob config = EcrTestImages.pushBlob(ecr, "api/push", "{\"architecture\":\"arm64\",\"os\":\"linux\"}");
        Blob layer = EcrTestImages.pushBlob(ecr, "api/push", "some layer bytes");
        String manifest = EcrTestImages.imageManifest(DOCKER_MANIFEST, config, layer);
        PutImageResponse put = ecr.putImage(b -> b.repositoryName("api/push").imageManifest(manifest).imageTag("v1"));

        Image image = put.image();
        assertEquals(EcrTestSupport.ACCOUNT, image.registryId());
        assertEquals("api/push", image.repositoryName());
        assertEquals(sha256(manifest), image.imageId().imageDigest());
        assertEquals("v1", image.imageId().imageTag());
        assertEquals(manifest, image.imageManifest());
        assertEquals(DOCKER_MANIFEST, image.imageManifestMediaType());

        HttpResponse<byte[]> pulled = EcrTestImages.v2(server, "GET", "/v2/api/push/manifests/v1", null, true,
                "Accept", DOCKER_MANIFEST);
        assertEquals(200, pulled.statusCode());
        assertArrayEquals(manifest.getBytes(StandardCharsets.UTF_8), pulled.body());
        assertEquals(sha256(manifest), pulled.headers().firstValue("Docker-Content-Digest").orElseThrow());
        assertEquals(DOCKER_MANIFEST, pulled.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> blob = EcrTestImages.v2(server, "GET", "/v2/api/push/blobs/" + layer.digest(), null, true);
        assertEquals(200, blob.statusCode());
        assertArrayEquals(layer.bytes(), blob.body());
        assertEquals(401, EcrTestImages.v2(server, "GET", "/v2/api/push/manifests/v1", null, false).statusCode());

        ImageDetail detail = describeOne("api/push", byTag("v1"));
        assertEquals(EcrTestSupport.ACCOUNT, detail.registryId());
        assertEquals("api/push", detail.repositoryName());
        assertEquals(sha256(manifest), detail.imageDigest());
        assertEquals(List.of("v1"), detail.imageTags());
        assertEquals(config.size() + layer.size(), detail.imageSizeInBytes());
        assertTrue(!detail.imagePushedAt().isBefore(before) && !detail.imagePushedAt().isAfter(Instant.now()));
        assertEquals(DOCKER_MANIFEST, detail.imageManifestMediaType());
        assertEquals(DOCKER_CONFIG, detail.artifactMediaType());
        assertEquals("ACTIVE", detail.imageStatusAsString());
        assertNull(detail.subjectManifestDigest());

        // the /v2 GET was a pull: its time is recorded (asynchronously), then reported
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        ImageDetail pulledDetail = describeOne("api/push", byTag("v1"));
        while (pulledDetail.lastRecordedPullTime() == null && Instant.now().isBefore(deadline)) {
            pulledDetail = describeOne("api/push", byTag("v1"));
        }
        assertNotNull(pulledDetail.lastRecordedPullTime());
        assertFalse(pulledDetail.lastRecordedPullTime().isBefore(before));
    }

    @Test
    void batchGetImageReturnsStoredBytesNegotiatesByTagAndReportsFailures() {
        ecr.createRepository(b -> b.repositoryName("get/images"));
        Pushed img = EcrTestImages.pushImage(ecr, "get/images", DOCKER_MANIFEST, "g", "v1");
        Pushed other = EcrTestImages.pushImage(ecr, "get/images", DOCKER_MANIFEST, "o", "v2");

        BatchGetImageResponse r = ecr.batchGetImage(b -> b.repositoryName("get/images").imageIds(byTag("v1"),
                byDigest(img.digest()), both(img.digest(), "v1"), byTag("missing"), both(other.digest(), "v1"),
                ImageIdentifier.builder().build(), byDigest("sha256:123"), byTag("bad tag!"),
                byDigest("sha256:" + "1".repeat(64))));
        assertEquals(3, r.images().size());
        for (Image i : r.images()) {
            assertEquals(EcrTestSupport.ACCOUNT, i.registryId());
            assertEquals("get/images", i.repositoryName());
            assertEquals(img.manifest(), i.imageManifest());
            assertEquals(DOCKER_MANIFEST, i.imageManifestMediaType());
            assertEquals(img.digest(), i.imageId().imageDigest());
        }
        assertEquals("v1", r.images().get(0).imageId().imageTag());
        assertNull(r.images().get(1).imageId().imageTag());
        assertEquals("v1", r.images().get(2).imageId().imageTag());

        Map<String, String> codes = r.failures().stream().collect(Collectors.toMap(
                f -> f.imageId().imageDigest() + "/" + f.imageId().imageTag(), ImageFailure::failureCodeAsString));
        assertEquals(Map.of(
                "null/missing", "ImageNotFound",
                other.digest() + "/v1", "ImageTagDoesNotMatchDigest",
                "null/null", "MissingDigestAndTag",
                "sha256:123/null", "InvalidImageDigest",
                "null/bad tag!", "InvalidImageTag",
                "sha256:" + "1".repeat(64) + "/null", "ImageNotFound"), codes);
        ImageFailure notFound = r.failures().stream().filter(f -> "missing".equals(f.imageId().imageTag()))
                .findFirst().orElseThrow();
        assertEquals("Requested image not found", notFound.failureReason());

        // by tag, asking only for OCI: converted, with the digest of the converted bytes
        Image converted = ecr.batchGetImage(b -> b.repositoryName("get/images").imageIds(byTag("v1"))
                .acceptedMediaTypes(OCI_MANIFEST)).images().get(0);
        assertEquals(OCI_MANIFEST, converted.imageManifestMediaType());
        assertEquals(sha256(converted.imageManifest()), converted.imageId().imageDigest());
        assertNotEquals(img.digest(), converted.imageId().imageDigest());
        assertEquals("v1", converted.imageId().imageTag());
        // accepted includes the stored type, or the request is by digest: stored bytes
        Image stored = ecr.batchGetImage(b -> b.repositoryName("get/images").imageIds(byTag("v1"))
                .acceptedMediaTypes(OCI_MANIFEST, DOCKER_MANIFEST)).images().get(0);
        assertEquals(img.manifest(), stored.imageManifest());
        Image byDigest = ecr.batchGetImage(b -> b.repositoryName("get/images").imageIds(byDigest(img.digest()))
                .acceptedMediaTypes(OCI_MANIFEST)).images().get(0);
        assertEquals(img.manifest(), byDigest.imageManifest());
        assertEquals(DOCKER_MANIFEST, byDigest.imageManifestMediaType());

        assertThrows(InvalidParameterException.class, () -> ecr.batchGetImage(b -> b.repositoryName("get/images")
                .imageIds(byTag("v1")).acceptedMediaTypes("not a media type")));
        assertThrows(InvalidParameterException.class, () -> ecr.batchGetImage(b -> b.repositoryName("get/images")
                .imageIds(List.of())));
        assertThrows(RepositoryNotFoundException.class, () -> ecr.batchGetImage(b -> b.repositoryName("get/none")
                .imageIds(byTag("v1"))));
    }

    @Test
    void putImageRefusesBadDigestsMissingContentAndNoOps() {
        ecr.createRepository(b -> b.repositoryName("put/errors"));
        Pushed img = EcrTestImages.pushImage(ecr, "put/errors", DOCKER_MANIFEST, "p", "v1");

        ImageAlreadyExistsException same = assertThrows(ImageAlreadyExistsException.class, () -> ecr.putImage(b -> b
                .repositoryName("put/errors").imageManifest(img.manifest()).imageTag("v1")));
        assertEquals("Image with digest '" + img.digest() + "' and tag 'v1' already exists in the repository with name "
                + "'put/errors' in registry with id '" + EcrTestSupport.ACCOUNT + "'", same.awsErrorDetails().errorMessage());
        assertThrows(ImageAlreadyExistsException.class, () -> ecr.putImage(b -> b.repositoryName("put/errors")
                .imageManifest(img.manifest())));
        // retag: the same manifest under a new tag only adds the tag
        PutImageResponse retag = ecr.putImage(b -> b.repositoryName("put/errors").imageManifest(img.manifest())
                .imageTag("v1-again").imageDigest(img.digest()));
        assertEquals(img.digest(), retag.image().imageId().imageDigest());
        assertEquals(List.of("v1", "v1-again"), describeOne("put/errors", byDigest(img.digest())).imageTags());

        String wrong = "sha256:" + "2".repeat(64);
        assertThrows(ImageDigestDoesNotMatchException.class, () -> ecr.putImage(b -> b.repositoryName("put/errors")
                .imageManifest(img.manifest()).imageTag("v9").imageDigest(wrong)));
        assertThrows(ImageNotFoundException.class, () -> describeOne("put/errors", byTag("v9")));

        Blob ghost = new Blob("sha256:" + "3".repeat(64), new byte[10]);
        String missingLayer = EcrTestImages.imageManifest(DOCKER_MANIFEST, img.config(), ghost);
        LayersNotFoundException layers = assertThrows(LayersNotFoundException.class, () -> ecr.putImage(b -> b
                .repositoryName("put/errors").imageManifest(missingLayer).imageTag("ghost")));
        assertTrue(layers.awsErrorDetails().errorMessage().contains(ghost.digest()));

        String index = EcrTestImages.index(List.of(img.digest(), "sha256:" + "4".repeat(64)), List.of(img.manifest()
                .length(), 100));
        assertThrows(ReferencedImagesNotFoundException.class, () -> ecr.putImage(b -> b.repositoryName("put/errors")
                .imageManifest(index).imageTag("multi")));

        InvalidParameterException json = assertThrows(InvalidParameterException.class, () -> ecr.putImage(b -> b
                .repositoryName("put/errors").imageManifest("{not json").imageTag("broken")));
        assertEquals("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'",
                json.awsErrorDetails().errorMessage());
        assertThrows(InvalidParameterException.class, () -> ecr.putImage(b -> b.repositoryName("put/errors")
                .imageManifest(img.manifest()).imageTag("bad tag")));
        // the control API never creates a repository on push
        assertThrows(RepositoryNotFoundException.class, () -> ecr.putImage(b -> b.repositoryName("put/nowhere")
                .imageManifest(img.manifest()).imageTag("v1")));
        assertThrows(RepositoryNotFoundException.class, () -> ecr.describeRepositories(b -> b
                .repositoryNames("put/nowhere")));
    }

    @Test
    void putImageOfAnIndexByDigestAndArtifactMediaType() {
        ecr.createRepository(b -> b.repositoryName("put/index"));
        Pushed child = EcrTestImages.pushImage(ecr, "put/index", OCI_MANIFEST, "child", null);
        String index = EcrTestImages.index(List.of(child.digest()), List.of(child.manifest().length()));
        PutImageResponse put = ecr.putImage(b -> b.repositoryName("put/index").imageManifest(index).imageTag("multi")
                .imageManifestMediaType(OCI_INDEX));
        assertEquals(OCI_INDEX, put.image().imageManifestMediaType());
        ImageDetail detail = describeOne("put/index", byTag("multi"));
        assertEquals(OCI_INDEX, detail.imageManifestMediaType());
        assertEquals(child.imageSize(), detail.imageSizeInBytes());
        assertNull(detail.artifactMediaType());
    }

    @Test
    void batchDeleteImageRemovesTagsAndImagesAndReportsPerItemFailures() {
        ecr.createRepository(b -> b.repositoryName("delete/images"));
        Pushed tagged = EcrTestImages.pushImage(ecr, "delete/images", DOCKER_MANIFEST, "t", "t1");
        ecr.putImage(b -> b.repositoryName("delete/images").imageManifest(tagged.manifest()).imageTag("t2"));
        ecr.putImage(b -> b.repositoryName("delete/images").imageManifest(tagged.manifest()).imageTag("t3"));
        Pushed untagged = EcrTestImages.pushImage(ecr, "delete/images", DOCKER_MANIFEST, "u", null);
        Pushed child = EcrTestImages.pushImage(ecr, "delete/images", OCI_MANIFEST, "child", "child");
        String index = EcrTestImages.index(List.of(child.digest()), List.of(child.manifest().length()));
        String indexDigest = ecr.putImage(b -> b.repositoryName("delete/images").imageManifest(index).imageTag("multi"))
                .image().imageId().imageDigest();

        // a tag that is not the last one: only the tag goes
        BatchDeleteImageResponse one = ecr.batchDeleteImage(b -> b.repositoryName("delete/images")
                .imageIds(byTag("t1")));
        assertEquals(List.of(both(tagged.digest(), "t1")), one.imageIds());
        assertTrue(one.failures().isEmpty());
        assertEquals(List.of("t2", "t3"), describeOne("delete/images", byDigest(tagged.digest())).imageTags());

        BatchDeleteImageResponse r = ecr.batchDeleteImage(b -> b.repositoryName("delete/images").imageIds(
                byDigest(tagged.digest()), byDigest(untagged.digest()), byDigest(child.digest()), byTag("child"),
                byTag("gone"), ImageIdentifier.builder().build(), byDigest("md5:abc"), byTag("-bad"),
                both(untagged.digest(), "multi")));
        assertEquals(List.of(both(tagged.digest(), "t2"), both(tagged.digest(), "t3"), byDigest(untagged.digest())),
                r.imageIds());
        Map<String, String> codes = r.failures().stream().collect(Collectors.toMap(
                f -> f.imageId().imageDigest() + "/" + f.imageId().imageTag(), ImageFailure::failureCodeAsString));
        assertEquals(Map.of(
                child.digest() + "/null", "ImageReferencedByManifestList",
                "null/child", "ImageReferencedByManifestList",
                "null/gone", "ImageNotFound",
                "null/null", "MissingDigestAndTag",
                "md5:abc/null", "InvalidImageDigest",
                "null/-bad", "InvalidImageTag",
                untagged.digest() + "/multi", "ImageTagDoesNotMatchDigest"), codes);
        assertEquals("Requested image not found", r.failures().stream()
                .filter(f -> "gone".equals(f.imageId().imageTag())).findFirst().orElseThrow().failureReason());

        List<ImageIdentifier> left = ecr.listImages(b -> b.repositoryName("delete/images")).imageIds();
        assertEquals(2, left.size());
        assertTrue(left.contains(both(child.digest(), "child")));
        assertTrue(left.contains(both(indexDigest, "multi")));

        // deleting the index leaves its child, which may then go
        BatchDeleteImageResponse idx = ecr.batchDeleteImage(b -> b.repositoryName("delete/images")
                .imageIds(both(indexDigest, "multi")));
        assertEquals(List.of(both(indexDigest, "multi")), idx.imageIds());
        assertEquals(List.of(both(child.digest(), "child")),
                ecr.listImages(b -> b.repositoryName("delete/images")).imageIds());
        BatchDeleteImageResponse last = ecr.batchDeleteImage(b -> b.repositoryName("delete/images")
                .imageIds(byTag("child")));
        assertEquals(List.of(both(child.digest(), "child")), last.imageIds());
        assertTrue(ecr.listImages(b -> b.repositoryName("delete/images")).imageIds().isEmpty());

        assertThrows(InvalidParameterException.class, () -> ecr.batchDeleteImage(b -> b.repositoryName("delete/images")
                .imageIds(List.of())));
        assertThrows(RepositoryNotFoundException.class, () -> ecr.batchDeleteImage(b -> b
                .repositoryName("delete/none").imageIds(byTag("x"))));
    }

    @Test
    void immutableTagsRefuseARetagOnBothPlanes() throws Exception {
        ecr.createRepository(b -> b.repositoryName("immutable/tags"));
        Pushed first = EcrTestImages.pushImage(ecr, "immutable/tags", DOCKER_MANIFEST, "first", "stable");
        Pushed second = EcrTestImages.pushImage(ecr, "immutable/tags", DOCKER_MANIFEST, "second", "other");
        ecr.putImageTagMutability(b -> b.repositoryName("immutable/tags").imageTagMutability(ImageTagMutability.IMMUTABLE));

        ImageTagAlreadyExistsException api = assertThrows(ImageTagAlreadyExistsException.class, () -> ecr.putImage(b -> b
                .repositoryName("immutable/tags").imageManifest(second.manifest()).imageTag("stable")));
        assertEquals("The image tag 'stable' already exists in the 'immutable/tags' repository and cannot be overwritten "
                + "because the tag is immutable.", api.awsErrorDetails().errorMessage());
        HttpResponse<byte[]> v2 = EcrTestImages.v2(server, "PUT", "/v2/immutable/tags/manifests/stable",
                second.manifest().getBytes(StandardCharsets.UTF_8), true, "Content-Type", DOCKER_MANIFEST);
        assertEquals(400, v2.statusCode());
        assertTrue(new String(v2.body(), StandardCharsets.UTF_8).contains("TAG_INVALID"));
        assertEquals(first.digest(), describeOne("immutable/tags", byTag("stable")).imageDigest());

        // the same manifest to the same tag: idempotent on /v2, ImageAlreadyExists on the API
        HttpResponse<byte[]> again = EcrTestImages.v2(server, "PUT", "/v2/immutable/tags/manifests/stable",
                first.manifest().getBytes(StandardCharsets.UTF_8), true, "Content-Type", DOCKER_MANIFEST);
        assertEquals(201, again.statusCode());
        assertThrows(ImageAlreadyExistsException.class, () -> ecr.putImage(b -> b.repositoryName("immutable/tags")
                .imageManifest(first.manifest()).imageTag("stable")));
        // a new tag, and pushes by digest, are still allowed
        ecr.putImage(b -> b.repositoryName("immutable/tags").imageManifest(second.manifest()).imageTag("fresh"));
        // after deleting the tag it may be pushed again
        ecr.batchDeleteImage(b -> b.repositoryName("immutable/tags").imageIds(byTag("stable")));
        PutImageResponse moved = ecr.putImage(b -> b.repositoryName("immutable/tags").imageManifest(second.manifest())
                .imageTag("stable"));
        assertEquals(second.digest(), moved.image().imageId().imageDigest());
    }
}
