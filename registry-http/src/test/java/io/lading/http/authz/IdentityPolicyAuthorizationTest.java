package io.lading.http.authz;

import static io.lading.http.authz.AuthzTestSupport.denied;
import static io.lading.http.authz.AuthzTestSupport.deniedBody;
import static io.lading.http.authz.AuthzTestSupport.noIdentity;
import static io.lading.http.authz.AuthzTestSupport.pushImage;
import static io.lading.http.authz.AuthzTestSupport.repoArn;
import static io.lading.http.authz.AuthzTestSupport.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.ecr.EcrTestSupport.TestUser;
import io.lading.http.testing.LadingServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.Repository;

/**
 * Identity policies enforced on both planes (iam-policy.md §8–§12): managed ReadOnly, a policy scoped
 * to {@code team-a/*}, an explicit deny on the source address, and a {@code ${aws:username}} resource.
 */
class IdentityPolicyAuthorizationTest {

    static final TestUser TESTER = EcrTestSupport.TESTER;
    static final TestUser READER = new TestUser("reader", "AKIAREADERREADER0001", "reader-secret-000000000000", null,
            List.of("AmazonEC2ContainerRegistryReadOnly"));
    static final TestUser TEAM_A = new TestUser("team-a-dev", "AKIATEAMATEAMA000001", "team-a-secret-0000000000000",
            null, List.of("""
                    {"Version":"2012-10-17","Statement":[
                      {"Effect":"Allow","Action":"ecr:*","Resource":"arn:aws:ecr:*:*:repository/team-a/*"},
                      {"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"}]}"""));
    static final TestUser BLOCKED = new TestUser("blocked", "AKIABLOCKEDBLOCK0001", "blocked-secret-00000000000", null,
            List.of("AmazonEC2ContainerRegistryFullAccess", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*",
                      "Condition":{"IpAddress":{"aws:SourceIp":["127.0.0.0/8","::1/128"]}}}]}"""));
    static final TestUser BOB = new TestUser("bob", "AKIABOBBOBBOBBOB0001", "bob-secret-00000000000000000", null,
            List.of("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*",
                      "Resource":"arn:aws:ecr:us-east-1:123456789012:repository/home/${aws:username}/*"}]}"""));
    static final TestUser NOBODY = new TestUser("nobody", "AKIANOBODYNOBODY0001", "nobody-secret-0000000000000", null,
            List.of());

    @RegisterExtension
    static final LadingServer server = EcrTestSupport.server(List.of(TESTER, READER, TEAM_A, BLOCKED, BOB, NOBODY),
            "--auth.dataPlane=required");

    static EcrClient admin;
    static String manifest;

    @BeforeAll
    static void images() {
        admin = EcrTestSupport.client(server);
        admin.createRepository(b -> b.repositoryName("ro/app"));
        admin.createRepository(b -> b.repositoryName("team-a/app"));
        admin.createRepository(b -> b.repositoryName("team-b/x"));
        manifest = pushImage(admin, "ro/app", "v1");
        pushImage(admin, "team-b/x", "v1");
        pushImage(admin, "team-a/app", "v1");
    }

    @Test
    void readOnlyUserPullsButCannotPushOrDelete() throws Exception {
        EcrClient reader = AuthzTestSupport.client(server, READER);
        assertEquals(1, reader.batchGetImage(b -> b.repositoryName("ro/app")
                .imageIds(ImageIdentifier.builder().imageTag("v1").build())).images().size());
        assertTrue(reader.describeRepositories(b -> b.repositoryNames("ro/app")).repositories().size() == 1);

        EcrException put = assertThrows(EcrException.class, () -> reader.putImage(b -> b.repositoryName("ro/app")
                .imageManifest(manifest).imageTag("v2")));
        assertEquals("AccessDeniedException", put.awsErrorDetails().errorCode());
        assertEquals(400, put.statusCode());
        assertEquals(denied(READER, "ecr:PutImage", repoArn("ro/app"), noIdentity("ecr:PutImage")),
                put.awsErrorDetails().errorMessage());
        EcrException delete = assertThrows(EcrException.class, () -> reader.batchDeleteImage(b -> b
                .repositoryName("ro/app").imageIds(ImageIdentifier.builder().imageTag("v1").build())));
        assertEquals(denied(READER, "ecr:BatchDeleteImage", repoArn("ro/app"), noIdentity("ecr:BatchDeleteImage")),
                delete.awsErrorDetails().errorMessage());
        EcrException deleteRepo = assertThrows(EcrException.class,
                () -> reader.deleteRepository(b -> b.repositoryName("ro/app").force(true)));
        assertEquals("AccessDeniedException", deleteRepo.awsErrorDetails().errorCode());
        EcrException create = assertThrows(EcrException.class,
                () -> reader.createRepository(b -> b.repositoryName("ro/new")));
        assertEquals(denied(READER, "ecr:CreateRepository", repoArn("ro/new"), noIdentity("ecr:CreateRepository")),
                create.awsErrorDetails().errorMessage());

        // the same user through /v2 with its access key
        assertEquals(200, v2(server, READER, "GET", "/v2/ro/app/manifests/v1", null, "Accept", AuthzTestSupport.MANIFEST_TYPE)
                .statusCode());
        HttpResponse<String> push = v2(server, READER, "PUT", "/v2/ro/app/manifests/v3",
                manifest.getBytes(StandardCharsets.UTF_8), "Content-Type", AuthzTestSupport.MANIFEST_TYPE);
        assertEquals(403, push.statusCode());
        assertEquals(deniedBody(denied(READER, "ecr:PutImage", repoArn("ro/app"), noIdentity("ecr:PutImage"))),
                push.body());
        HttpResponse<String> del = v2(server, READER, "DELETE", "/v2/ro/app/manifests/"
                + AuthzTestSupport.sha256(manifest.getBytes(StandardCharsets.UTF_8)), null);
        assertEquals(403, del.statusCode());
        assertTrue(del.body().contains("ecr:BatchDeleteImage"), del.body());
        HttpResponse<String> upload = v2(server, READER, "POST", "/v2/ro/app/blobs/uploads/", null);
        assertEquals(403, upload.statusCode());
        assertEquals(deniedBody(denied(READER, "ecr:InitiateLayerUpload", repoArn("ro/app"),
                noIdentity("ecr:InitiateLayerUpload"))), upload.body());
        // the operator endpoints need ecr:* on *
        assertEquals(403, v2(server, READER, "POST", "/_lading/gc?dryRun=true", null).statusCode());
        assertEquals(200, v2(server, TESTER, "POST", "/_lading/gc?dryRun=true", null).statusCode());
    }

    @Test
    void userWithoutPoliciesIsDeniedEverything() throws Exception {
        EcrClient nobody = AuthzTestSupport.client(server, NOBODY);
        EcrException e = assertThrows(EcrException.class, () -> nobody.getAuthorizationToken());
        assertEquals(denied(NOBODY, "ecr:GetAuthorizationToken", "*", noIdentity("ecr:GetAuthorizationToken")),
                e.awsErrorDetails().errorMessage());
        assertEquals(403, v2(server, NOBODY, "GET", "/v2/ro/app/tags/list", null).statusCode());
        assertEquals(200, v2(server, NOBODY, "GET", "/v2/", null).statusCode(), "the base needs authentication only");
    }

    @Test
    void teamScopedUserCannotSeeOrTouchAnotherTeamsRepository() throws Exception {
        EcrClient team = AuthzTestSupport.client(server, TEAM_A);
        team.createRepository(b -> b.repositoryName("team-a/new"));
        pushImage(team, "team-a/new", "v1");
        assertEquals(List.of("team-a/app", "team-a/new"), team.describeRepositories().repositories().stream()
                .map(Repository::repositoryName).sorted().toList());

        for (String name : List.of("team-b/x", "team-b/ghost")) {
            EcrException describe = assertThrows(EcrException.class,
                    () -> team.describeRepositories(b -> b.repositoryNames(name)));
            assertEquals("AccessDeniedException", describe.awsErrorDetails().errorCode(), name);
            assertEquals(denied(TEAM_A, "ecr:DescribeRepositories", repoArn(name), noIdentity("ecr:DescribeRepositories")),
                    describe.awsErrorDetails().errorMessage());
            EcrException list = assertThrows(EcrException.class, () -> team.listImages(b -> b.repositoryName(name)));
            assertEquals(denied(TEAM_A, "ecr:ListImages", repoArn(name), noIdentity("ecr:ListImages")),
                    list.awsErrorDetails().errorMessage());
            HttpResponse<String> pull = v2(server, TEAM_A, "GET", "/v2/" + name + "/manifests/v1", null);
            assertEquals(403, pull.statusCode(), name);
            assertEquals(deniedBody(denied(TEAM_A, "ecr:BatchGetImage", repoArn(name), noIdentity("ecr:BatchGetImage"))),
                    pull.body());
            assertEquals(403, v2(server, TEAM_A, "HEAD", "/v2/" + name + "/blobs/sha256:" + "0".repeat(64), null)
                    .statusCode());
        }
        // an allowed caller on a missing repository learns that it is missing
        assertEquals(404, v2(server, TEAM_A, "GET", "/v2/team-a/ghost/manifests/v1", null).statusCode());
        // the catalogue lists only what the caller may describe
        String catalog = v2(server, TEAM_A, "GET", "/v2/_catalog", null).body();
        assertEquals("{\"repositories\":[\"team-a/app\",\"team-a/new\"]}", catalog);
        assertTrue(v2(server, TESTER, "GET", "/v2/_catalog", null).body().contains("team-b/x"));
    }

    @Test
    void mountFromADeniedSourceFallsBackToAnUploadSession() throws Exception {
        String layer = AuthzTestSupport.sha256(("layer of team-b/x").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> mount = v2(server, TEAM_A, "POST",
                "/v2/team-a/app/blobs/uploads/?mount=" + layer + "&from=team-b/x", null);
        assertEquals(202, mount.statusCode(), mount.body());
        HttpResponse<String> allowed = v2(server, TESTER, "POST",
                "/v2/team-a/app/blobs/uploads/?mount=" + layer + "&from=team-b/x", null);
        assertEquals(201, allowed.statusCode(), allowed.body());
    }

    @Test
    void explicitDenyOnTheSourceAddressWins() throws Exception {
        EcrClient blocked = AuthzTestSupport.client(server, BLOCKED);
        EcrException e = assertThrows(EcrException.class, () -> blocked.getAuthorizationToken());
        assertEquals(denied(BLOCKED, "ecr:GetAuthorizationToken", "*",
                "with an explicit deny in an identity-based policy"), e.awsErrorDetails().errorMessage());
        EcrException named = assertThrows(EcrException.class,
                () -> blocked.describeRepositories(b -> b.repositoryNames("ro/app")));
        assertEquals(denied(BLOCKED, "ecr:DescribeRepositories", repoArn("ro/app"),
                "with an explicit deny in an identity-based policy"), named.awsErrorDetails().errorMessage());
        // a listing leaves out every repository the caller may not describe (iam-policy.md §13)
        assertEquals(List.of(), blocked.describeRepositories().repositories());
        HttpResponse<String> pull = v2(server, BLOCKED, "GET", "/v2/ro/app/manifests/v1", null);
        assertEquals(403, pull.statusCode());
        assertEquals(deniedBody(denied(BLOCKED, "ecr:BatchGetImage", repoArn("ro/app"),
                "with an explicit deny in an identity-based policy")), pull.body());
    }

    @Test
    void usernameVariableScopesAUserToItsOwnRepositories() throws Exception {
        EcrClient bob = AuthzTestSupport.client(server, BOB);
        bob.createRepository(b -> b.repositoryName("home/bob/app"));
        pushImage(bob, "home/bob/app", "v1");
        EcrException e = assertThrows(EcrException.class,
                () -> bob.createRepository(b -> b.repositoryName("home/alice/app")));
        assertEquals(denied(BOB, "ecr:CreateRepository", repoArn("home/alice/app"), noIdentity("ecr:CreateRepository")),
                e.awsErrorDetails().errorMessage());
        assertEquals(200, v2(server, BOB, "GET", "/v2/home/bob/app/tags/list", null).statusCode());
        assertEquals(403, v2(server, BOB, "GET", "/v2/ro/app/tags/list", null).statusCode());
    }
}
