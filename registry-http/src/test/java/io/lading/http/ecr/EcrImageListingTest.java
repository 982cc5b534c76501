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
 * ListImages and DescribeImages through the AWS SDK for Java v2: entries per tag and per digest, filters,
 * pagination, and images pushed over /v2 (split from {@link EcrImageOperationsTest}).
 */
class EcrImageListingTest {

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

    private static ImageDetail describeOne(String repo, ImageIdentifier id) {
        DescribeImagesResponse r = ecr.describeImages(b -> b.repositoryName(repo).imageIds(id));
        assertEquals(1, r.imageDetails().size());
        return r.imageDetails().get(0);
    }

    @Test
    void imagePushedOverV2AppearsInDescribeImages() throws Exception {
        ecr.createRepository(b -> b.repositoryName("v2/push"));
        Instant before = Instant.now().minusSeconds(1);
        Blob config = EcrTestImages.v2Blob(server, "v2/push", "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8));
        Blob layer = EcrTestImages.v2Blob(server, "v2/push", "0123456789abcdef".repeat(100).getBytes(StandardCharsets.UTF_8));
        String manifest = EcrTestImages.imageManifest(OCI_MANIFEST, config, layer);
        HttpResponse<byte[]> put = EcrTestImages.v2(server, "PUT", "/v2/v2/push/manifests/release",
                manifest.getBytes(StandardCharsets.UTF_8), true, "Content-Type", OCI_MANIFEST);
        assertEquals(201, put.statusCode());

        ImageDetail detail = describeOne("v2/push", byTag("release"));
        assertEquals(sha256(manifest), detail.imageDigest());
        assertEquals(List.of("release"), detail.imageTags());
        assertEquals(config.size() + layer.size(), detail.imageSizeInBytes());
        assertTrue(!detail.imagePushedAt().isBefore(before) && !detail.imagePushedAt().isAfter(Instant.now()));
        assertEquals(OCI_MANIFEST, detail.imageManifestMediaType());
        assertEquals(OCI_CONFIG, detail.artifactMediaType());
        assertNull(detail.lastRecordedPullTime());

        BatchGetImageResponse got = ecr.batchGetImage(b -> b.repositoryName("v2/push").imageIds(byTag("release")));
        assertEquals(manifest, got.images().get(0).imageManifest());
        ListImagesResponse list = ecr.listImages(b -> b.repositoryName("v2/push"));
        assertEquals(List.of(both(sha256(manifest), "release")), list.imageIds());
    }

    @Test
    void listImagesGivesOneEntryPerTagFiltersAndPaginates() {
        ecr.createRepository(b -> b.repositoryName("list/images"));
        ecr.createRepository(b -> b.repositoryName("list/other"));
        Pushed a = EcrTestImages.pushImage(ecr, "list/images", DOCKER_MANIFEST, "a", "a1");
        ecr.putImage(b -> b.repositoryName("list/images").imageManifest(a.manifest()).imageTag("a2"));
        Pushed u = EcrTestImages.pushImage(ecr, "list/images", DOCKER_MANIFEST, "u", null);
        Pushed c = EcrTestImages.pushImage(ecr, "list/images", OCI_MANIFEST, "c", "c");

        List<ImageIdentifier> expected = new ArrayList<>(List.of(both(a.digest(), "a1"), both(a.digest(), "a2"),
                byDigest(u.digest()), both(c.digest(), "c")));
        expected.sort((x, y) -> (x.imageDigest() + " " + (x.imageTag() == null ? "" : x.imageTag()))
                .compareTo(y.imageDigest() + " " + (y.imageTag() == null ? "" : y.imageTag())));
        assertEquals(expected, ecr.listImages(b -> b.repositoryName("list/images")).imageIds());
        assertEquals(expected, ecr.listImages(b -> b.repositoryName("list/images")
                .filter(f -> f.tagStatus(TagStatus.ANY))).imageIds());
        assertEquals(List.of(byDigest(u.digest())), ecr.listImages(b -> b.repositoryName("list/images")
                .filter(f -> f.tagStatus(TagStatus.UNTAGGED))).imageIds());
        assertEquals(expected.stream().filter(i -> i.imageTag() != null).toList(), ecr.listImages(b -> b
                .repositoryName("list/images").filter(f -> f.tagStatus(TagStatus.TAGGED))).imageIds());
        // DescribeImages filters the same way, one detail per image
        java.util.function.Function<TagStatus, java.util.Set<String>> described = status -> ecr.describeImages(b -> b
                .repositoryName("list/images").filter(f -> f.tagStatus(status))).imageDetails().stream()
                .map(d -> d.imageDigest()).collect(java.util.stream.Collectors.toSet());
        assertEquals(java.util.Set.of(a.digest(), u.digest(), c.digest()), described.apply(TagStatus.ANY));
        assertEquals(java.util.Set.of(u.digest()), described.apply(TagStatus.UNTAGGED));
        assertEquals(java.util.Set.of(a.digest(), c.digest()), described.apply(TagStatus.TAGGED));

        List<ImageIdentifier> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListImagesResponse page = ecr.listImages(b -> b.repositoryName("list/images").maxResults(1).nextToken(t));
            assertEquals(1, page.imageIds().size());
            paged.addAll(page.imageIds());
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertEquals(4, pages);
        assertEquals(expected, paged);

        String first = ecr.listImages(b -> b.repositoryName("list/images").maxResults(2)).nextToken();
        assertNotNull(first);
        assertThrows(InvalidParameterException.class, () -> ecr.listImages(b -> b.repositoryName("list/images")
                .nextToken(first).filter(f -> f.tagStatus(TagStatus.TAGGED))));
        assertThrows(InvalidParameterException.class, () -> ecr.listImages(b -> b.repositoryName("list/other")
                .nextToken(first)));
        assertThrows(InvalidParameterException.class, () -> ecr.listImages(b -> b.repositoryName("list/images")
                .nextToken(first + "x")));
        assertThrows(InvalidParameterException.class, () -> ecr.listImages(b -> b.repositoryName("list/images")
                .maxResults(0)));
        assertThrows(InvalidParameterException.class, () -> ecr.listImages(b -> b.repositoryName("list/images")
                .maxResults(1001)));
        assertThrows(InvalidParameterException.class, () -> ecr.listImages(b -> b.repositoryName("list/images")
                .filter(f -> f.tagStatus("SOMETIMES"))));
        RepositoryNotFoundException missing = assertThrows(RepositoryNotFoundException.class,
                () -> ecr.listImages(b -> b.repositoryName("list/nothing")));
        assertEquals("The repository with name 'list/nothing' does not exist in the registry with id '"
                + EcrTestSupport.ACCOUNT + "'", missing.awsErrorDetails().errorMessage());
    }

    @Test
    void describeImagesListsOneDetailPerDigestExplicitlyOrPaged() {
        ecr.createRepository(b -> b.repositoryName("describe/images"));
        Pushed a = EcrTestImages.pushImage(ecr, "describe/images", DOCKER_MANIFEST, "a", "x");
        ecr.putImage(b -> b.repositoryName("describe/images").imageManifest(a.manifest()).imageTag("w"));
        Pushed u = EcrTestImages.pushImage(ecr, "describe/images", DOCKER_MANIFEST, "u", null);
        Pushed c = EcrTestImages.pushImage(ecr, "describe/images", DOCKER_MANIFEST, "c", "c");

        DescribeImagesResponse explicit = ecr.describeImages(b -> b.repositoryName("describe/images")
                .imageIds(byTag("x"), byDigest(a.digest()), byTag("w"), byDigest(u.digest())));
        assertEquals(2, explicit.imageDetails().size());
        ImageDetail da = explicit.imageDetails().get(0);
        assertEquals(a.digest(), da.imageDigest());
        assertEquals(List.of("w", "x"), da.imageTags());
        assertEquals(a.imageSize(), da.imageSizeInBytes());
        ImageDetail du = explicit.imageDetails().get(1);
        assertEquals(u.digest(), du.imageDigest());
        assertFalse(du.hasImageTags());
        assertEquals(u.imageSize(), du.imageSizeInBytes());

        List<String> all = new ArrayList<>(List.of(a.digest(), u.digest(), c.digest()));
        all.sort(null);
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            DescribeImagesResponse page = ecr.describeImages(b -> b.repositoryName("describe/images").maxResults(2)
                    .nextToken(t));
            page.imageDetails().forEach(d -> paged.add(d.imageDigest()));
            token = page.nextToken();
        } while (token != null);
        assertEquals(all, paged);
        assertEquals(List.of(u.digest()), ecr.describeImages(b -> b.repositoryName("describe/images")
                .filter(f -> f.tagStatus(TagStatus.UNTAGGED))).imageDetails().stream().map(ImageDetail::imageDigest)
                .toList());
        assertEquals(2, ecr.describeImages(b -> b.repositoryName("describe/images")
                .filter(f -> f.tagStatus(TagStatus.TAGGED))).imageDetails().size());

        ImageNotFoundException missing = assertThrows(ImageNotFoundException.class, () -> ecr.describeImages(b -> b
                .repositoryName("describe/images").imageIds(byTag("x"), byTag("nope"))));
        assertEquals("The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository "
                + "with name 'describe/images' in the registry with id '" + EcrTestSupport.ACCOUNT + "'",
                missing.awsErrorDetails().errorMessage());
        String unknown = "sha256:" + "0".repeat(64);
        ImageNotFoundException missingDigest = assertThrows(ImageNotFoundException.class, () -> ecr.describeImages(b -> b
                .repositoryName("describe/images").imageIds(byDigest(unknown))));
        assertEquals("The image with imageId {imageDigest:'" + unknown + "', imageTag:'null'} does not exist within the "
                + "repository with name 'describe/images' in the registry with id '" + EcrTestSupport.ACCOUNT + "'",
                missingDigest.awsErrorDetails().errorMessage());
        assertThrows(ImageNotFoundException.class, () -> ecr.describeImages(b -> b.repositoryName("describe/images")
                .imageIds(both(u.digest(), "x"))));
        assertThrows(InvalidParameterException.class, () -> ecr.describeImages(b -> b.repositoryName("describe/images")
                .imageIds(byTag("x")).maxResults(5)));
        assertThrows(InvalidParameterException.class, () -> ecr.describeImages(b -> b.repositoryName("describe/images")
                .imageIds(ImageIdentifier.builder().build())));
        assertThrows(InvalidParameterException.class, () -> ecr.describeImages(b -> b.repositoryName("describe/images")
                .imageIds(byDigest("sha256:zz"))));
        assertThrows(RepositoryNotFoundException.class, () -> ecr.describeImages(b -> b.repositoryName("describe/none")));
    }

}
