package io.lading.http.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.testing.LadingServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryResponse;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesResponse;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.Tag;

/** Repository operations and GetAuthorizationToken through the AWS SDK for Java v2. */
class EcrRepositoryOperationsTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server();

    static EcrClient ecr;

    @BeforeAll
    static void client() {
        ecr = EcrTestSupport.client(server);
    }

    @AfterAll
    static void close() {
        ecr.close();
    }

    /** The longest names the API accepts, in one path component and in several, on both planes. */
    @Test
    void everyNameTheApiAcceptsCanBeCreatedPushedPulledAndDeleted() throws Exception {
        String flat = "l".repeat(255) + "x";
        String nested = "deep/" + "m".repeat(200) + "/" + "n".repeat(50);
        for (String name : List.of(flat, nested, "v2/" + "o".repeat(253))) {
            assertEquals(256, name.length());
            assertEquals(name, ecr.createRepository(b -> b.repositoryName(name)).repository().repositoryName());
            EcrTestImages.Pushed image = EcrTestImages.pushImage(ecr, name, "application/vnd.oci.image.manifest.v1+json",
                    name.substring(0, 8), "v1");
            EcrTestImages.Blob viaV2 = EcrTestImages.v2Blob(server, name, ("v2 " + name).getBytes(StandardCharsets.UTF_8));
            assertEquals(200, EcrTestImages.v2(server, "GET", "/v2/" + name + "/manifests/v1", null, true,
                    "Accept", "application/vnd.oci.image.manifest.v1+json").statusCode());
            assertEquals(200, EcrTestImages.v2(server, "HEAD", "/v2/" + name + "/blobs/" + viaV2.digest(), null, true)
                    .statusCode());
            assertEquals(List.of(name), ecr.describeRepositories(b -> b.repositoryNames(name)).repositories().stream()
                    .map(Repository::repositoryName).toList());
            assertEquals(image.digest(), ecr.describeImages(b -> b.repositoryName(name)).imageDetails().get(0)
                    .imageDigest());
            ecr.deleteRepository(b -> b.repositoryName(name).force(true));
            assertThrows(RepositoryNotFoundException.class, () -> ecr.describeRepositories(b -> b.repositoryNames(name)));
        }
        server.stop();
        server.start(); // and they load again after a restart
        ecr.close();
        ecr = EcrTestSupport.client(server);
        ecr.createRepository(b -> b.repositoryName(flat));
        server.stop();
        server.start();
        ecr.close();
        ecr = EcrTestSupport.client(server);
        assertEquals(flat, ecr.describeRepositories(b -> b.repositoryNames(flat)).repositories().get(0).repositoryName());
        ecr.deleteRepository(b -> b.repositoryName(flat));
    }

    @Test
    void createsRepositoryWithSettingsAndDescribesIt() {
        CreateRepositoryResponse created = ecr.createRepository(b -> b.repositoryName("team/web")
                .imageTagMutability(ImageTagMutability.IMMUTABLE)
                .tags(Tag.builder().key("owner").value("web").build())
                .imageScanningConfiguration(s -> s.scanOnPush(true)));
        var repo = created.repository();
        assertEquals("team/web", repo.repositoryName());
        assertEquals(EcrTestSupport.ACCOUNT, repo.registryId());
        assertEquals("arn:aws:ecr:us-east-1:" + EcrTestSupport.ACCOUNT + ":repository/team/web", repo.repositoryArn());
        assertEquals(server.hostPort() + "/team/web", repo.repositoryUri());
        assertEquals(ImageTagMutability.IMMUTABLE, repo.imageTagMutability());
        assertTrue(repo.imageScanningConfiguration().scanOnPush());
        assertEquals("AES256", repo.encryptionConfiguration().encryptionTypeAsString());
        assertNotNull(repo.createdAt());

        DescribeRepositoriesResponse described = ecr.describeRepositories(b -> b.repositoryNames("team/web"));
        assertEquals(1, described.repositories().size());
        assertEquals(repo.repositoryArn(), described.repositories().get(0).repositoryArn());
    }

    @Test
    void refusesDuplicateAndInvalidNames() {
        ecr.createRepository(b -> b.repositoryName("dup/one"));
        RepositoryAlreadyExistsException dup = assertThrows(RepositoryAlreadyExistsException.class,
                () -> ecr.createRepository(b -> b.repositoryName("dup/one")));
        assertTrue(dup.awsErrorDetails().errorMessage().contains("already exists"));
        InvalidParameterException bad = assertThrows(InvalidParameterException.class,
                () -> ecr.createRepository(b -> b.repositoryName("Bad/Name")));
        assertTrue(bad.awsErrorDetails().errorMessage().startsWith("Invalid parameter at 'repositoryName'"));
    }

    @Test
    void paginatesRepositoriesInNameOrder() {
        for (String n : List.of("page/a", "page/b", "page/c")) {
            ecr.createRepository(b -> b.repositoryName(n));
        }
        var names = ecr.describeRepositoriesPaginator(b -> b.maxResults(2)).repositories().stream()
                .map(r -> r.repositoryName()).filter(n -> n.startsWith("page/")).toList();
        assertEquals(List.of("page/a", "page/b", "page/c"), names);
    }

    @Test
    void deletesRepositoryAndReportsMissingOne() {
        ecr.createRepository(b -> b.repositoryName("gone/soon"));
        assertEquals("gone/soon", ecr.deleteRepository(b -> b.repositoryName("gone/soon")).repository().repositoryName());
        assertThrows(RepositoryNotFoundException.class, () -> ecr.deleteRepository(b -> b.repositoryName("gone/soon")));
        assertThrows(RepositoryNotFoundException.class,
                () -> ecr.describeRepositories(b -> b.repositoryNames("gone/soon")));
    }

    @Test
    void getAuthorizationTokenReturnsBasicCredentialsForAws() {
        var data = ecr.getAuthorizationToken().authorizationData();
        assertEquals(1, data.size());
        String decoded = new String(Base64.getDecoder().decode(data.get(0).authorizationToken()));
        assertTrue(decoded.startsWith("AWS:"));
        assertFalse(decoded.substring(4).contains(":"));
        assertTrue(data.get(0).expiresAt().isAfter(java.time.Instant.now().plusSeconds(11 * 3600)));
        assertEquals("http://" + server.hostPort(), data.get(0).proxyEndpoint());
    }

    /**
     * Without server.publicUrl the registry is the host the client asked for; reached as AWS's own API
     * host (a name pointed at Lading, as the Amazon ECR credential helper needs), it answers ECR's
     * registry host, which that helper requires of proxyEndpoint.
     */
    @Test
    void proxyEndpointIsAHostClientsAcceptWhateverNameReachedUs() throws Exception {
        java.util.regex.Pattern ecrHost = java.util.regex.Pattern.compile(
                "^(\\d{12})\\.dkr\\.ecr(-fips)?\\.([a-zA-Z0-9][a-zA-Z0-9-_]*)\\.(amazonaws\\.com(\\.cn)?|sc2s\\.sgov\\.gov|c2s\\.ic\\.gov)$");
        for (String apiHost : List.of("api.ecr.us-east-1.amazonaws.com", "ecr.us-east-1.amazonaws.com")) {
            var r = EcrTestSupport.signedCallAs(server, apiHost, "GetAuthorizationToken", "{}");
            assertEquals(200, r.getKey(), r.getValue());
            String endpoint = EcrJson.MAPPER.readTree(r.getValue()).get("authorizationData").get(0)
                    .get("proxyEndpoint").asText();
            assertEquals("https://" + EcrTestSupport.ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com", endpoint);
            assertTrue(ecrHost.matcher(URI.create(endpoint).getHost()).matches(), endpoint);
        }
        var named = EcrTestSupport.signedCallAs(server, "registry.internal:5000", "GetAuthorizationToken", "{}");
        assertEquals("http://registry.internal:5000", EcrJson.MAPPER.readTree(named.getValue())
                .get("authorizationData").get(0).get("proxyEndpoint").asText());
    }

    @Test
    void refusesWrongSecretAndUnknownKey() {
        try (EcrClient wrong = EcrTestSupport.client(server, EcrTestSupport.ACCESS_KEY, "not-the-secret-000000000")) {
            EcrException e = assertThrows(EcrException.class, () -> wrong.describeRepositories());
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
        }
        try (EcrClient unknown = EcrTestSupport.client(server, "AKIAUNKNOWNUNKNOWN00", "whatever-secret-000000000")) {
            EcrException e = assertThrows(EcrException.class, () -> unknown.describeRepositories());
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void putsTagMutabilityWithExclusionFiltersAndRefusesBadCombinations() {
        ecr.createRepository(b -> b.repositoryName("mut/repo"));
        var out = ecr.putImageTagMutability(b -> b.repositoryName("mut/repo")
                .imageTagMutability("IMMUTABLE_WITH_EXCLUSION")
                .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD").filter("latest*")));
        assertEquals("IMMUTABLE_WITH_EXCLUSION", out.imageTagMutabilityAsString());
        assertEquals("latest*", out.imageTagMutabilityExclusionFilters().get(0).filter());
        assertEquals("IMMUTABLE_WITH_EXCLUSION", ecr.describeRepositories(b -> b.repositoryNames("mut/repo"))
                .repositories().get(0).imageTagMutabilityAsString());
        assertThrows(InvalidParameterException.class, () -> ecr.putImageTagMutability(b -> b
                .repositoryName("mut/repo").imageTagMutability("IMMUTABLE_WITH_EXCLUSION")));
        assertThrows(InvalidParameterException.class, () -> ecr.putImageTagMutability(b -> b
                .repositoryName("mut/repo").imageTagMutability(ImageTagMutability.MUTABLE)
                .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD").filter("x*"))));
        assertThrows(InvalidParameterException.class, () -> ecr.putImageTagMutability(b -> b
                .repositoryName("mut/repo").imageTagMutability("SOMETIMES")));
        assertThrows(RepositoryNotFoundException.class, () -> ecr.putImageTagMutability(b -> b
                .repositoryName("mut/none").imageTagMutability(ImageTagMutability.IMMUTABLE)));
    }

    @Test
    void storesScanningConfigurationPerRepository() {
        ecr.createRepository(b -> b.repositoryName("scan/repo"));
        var put = ecr.putImageScanningConfiguration(b -> b.repositoryName("scan/repo")
                .imageScanningConfiguration(c -> c.scanOnPush(true)));
        assertTrue(put.imageScanningConfiguration().scanOnPush());
        assertEquals(EcrTestSupport.ACCOUNT, put.registryId());
        var got = ecr.batchGetRepositoryScanningConfiguration(b -> b.repositoryNames("scan/repo", "scan/missing"));
        assertEquals(1, got.scanningConfigurations().size());
        assertTrue(got.scanningConfigurations().get(0).scanOnPush());
        assertEquals("arn:aws:ecr:us-east-1:" + EcrTestSupport.ACCOUNT + ":repository/scan/repo",
                got.scanningConfigurations().get(0).repositoryArn());
        assertEquals(1, got.failures().size());
        assertEquals("scan/missing", got.failures().get(0).repositoryName());
        assertEquals("REPOSITORY_NOT_FOUND", got.failures().get(0).failureCodeAsString());
    }

    @Test
    void refusesPaginationCombinedWithExplicitNamesAndForeignTokens() {
        ecr.createRepository(b -> b.repositoryName("combo/a"));
        assertThrows(InvalidParameterException.class,
                () -> ecr.describeRepositories(b -> b.repositoryNames("combo/a").maxResults(5)));
        assertThrows(InvalidParameterException.class,
                () -> ecr.describeRepositories(b -> b.nextToken("forged.token")));
        assertThrows(InvalidParameterException.class, () -> ecr.describeRepositories(b -> b.maxResults(0)));
        assertThrows(InvalidParameterException.class, () -> ecr.describeRepositories(b -> b.maxResults(1001)));
    }

    @Test
    void refusesAnotherAccountsRegistryId() {
        EcrException e = assertThrows(EcrException.class,
                () -> ecr.describeRepositories(b -> b.registryId("999999999999")));
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
    }

    @Test
    void refusesBadResourceTagsAtCreation() {
        assertThrows(software.amazon.awssdk.services.ecr.model.InvalidTagParameterException.class,
                () -> ecr.createRepository(b -> b.repositoryName("tags/bad")
                        .tags(Tag.builder().key("aws:reserved").value("x").build())));
        assertThrows(RepositoryNotFoundException.class,
                () -> ecr.describeRepositories(b -> b.repositoryNames("tags/bad")));
    }

    @Test
    void refusesToDeleteARepositoryWithImagesUnlessForced() {
        ecr.createRepository(b -> b.repositoryName("full/repo"));
        EcrTestImages.pushImage(ecr, "full/repo", "application/vnd.oci.image.manifest.v1+json", "full", "v1");
        EcrException e = assertThrows(EcrException.class, () -> ecr.deleteRepository(b -> b.repositoryName("full/repo")));
        assertEquals("RepositoryNotEmptyException", e.awsErrorDetails().errorCode());
        assertEquals("The repository with name 'full/repo' in registry with id '" + EcrTestSupport.ACCOUNT
                + "' cannot be deleted because it still contains images", e.awsErrorDetails().errorMessage());
        assertEquals(1, ecr.describeImages(b -> b.repositoryName("full/repo")).imageDetails().size());
        ecr.deleteRepository(b -> b.repositoryName("full/repo").force(true));
        assertThrows(RepositoryNotFoundException.class, () -> ecr.describeImages(b -> b.repositoryName("full/repo")));
        // a new repository of the same name starts empty
        ecr.createRepository(b -> b.repositoryName("full/repo"));
        assertEquals(0, ecr.listImages(b -> b.repositoryName("full/repo")).imageIds().size());
    }

    @Test
    void aMissingRepositoryIsNamedWithItsRegistryOnBothPlanes() throws Exception {
        String expected = "The repository with name 'absent/repo' does not exist in the registry with id '"
                + EcrTestSupport.ACCOUNT + "'";
        RepositoryNotFoundException api = assertThrows(RepositoryNotFoundException.class,
                () -> ecr.describeImages(b -> b.repositoryName("absent/repo")));
        assertEquals(expected, api.awsErrorDetails().errorMessage());
        var v2 = EcrTestImages.v2(server, "GET", "/v2/absent/repo/tags/list", null, true);
        assertEquals(404, v2.statusCode());
        var error = EcrJson.MAPPER.readTree(v2.body()).get("errors").get(0);
        assertEquals("NAME_UNKNOWN", error.get("code").asText());
        assertEquals(expected, error.get("message").asText());
    }

    @Test
    void aRefusedImmutableRetagStoresNothing() {
        ecr.createRepository(b -> b.repositoryName("immut/repo").imageTagMutability(ImageTagMutability.IMMUTABLE));
        EcrTestImages.pushImage(ecr, "immut/repo", "application/vnd.oci.image.manifest.v1+json", "first", "v1");
        assertThrows(software.amazon.awssdk.services.ecr.model.ImageTagAlreadyExistsException.class,
                () -> EcrTestImages.pushImage(ecr, "immut/repo", "application/vnd.oci.image.manifest.v1+json",
                        "second", "v1"));
        assertEquals(1, ecr.describeImages(b -> b.repositoryName("immut/repo")).imageDetails().size(),
                "the refused image was not stored, not even untagged");
    }
}
