package io.lading.http.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.config.ConfigLoader;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.ecr.EcrTestSupport.TestUser;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * A push never creates a repository the pusher could not create with {@code CreateRepository}: by default
 * a push to a missing repository is {@code 404 NAME_UNKNOWN} (ECR); with {@code registry.createOnPush}
 * on, it also needs {@code ecr:CreateRepository} on that name.
 */
class CreateOnPushAuthorizationTest {

    private static final String PUSH_ACTIONS = """
            ["ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload","ecr:PutImage",
             "ecr:BatchCheckLayerAvailability","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]""";
    static final TestUser PUSHER = new TestUser("pusher", "AKIAPUSHERPUSHER0001", "pusher-secret-00000000000", null,
            List.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":" + PUSH_ACTIONS
                    + ",\"Resource\":\"arn:aws:ecr:*:*:repository/team-a/*\"}]}"));
    static final TestUser CREATOR = new TestUser("creator", "AKIACREATORCREAT0001", "creator-secret-0000000000", null,
            List.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":" + PUSH_ACTIONS
                    .replace("[", "[\"ecr:CreateRepository\",") + ",\"Resource\":\"arn:aws:ecr:*:*:repository/team-a/*\"}]}"));

    private static final byte[] CONFIG = "{\"architecture\":\"arm64\"}".getBytes(StandardCharsets.UTF_8);
    private static final String DIGEST = TestHttp.sha256(CONFIG);
    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":"
            + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + DIGEST + "\",\"size\":" + CONFIG.length
            + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);

    private static HttpResponse<byte[]> pushBlob(TestHttp as, String repo) {
        return as.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + DIGEST, CONFIG, null);
    }

    private static boolean exists(LadingServer server, String repo) {
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            ecr.describeRepositories(b -> b.repositoryNames(repo));
            return true;
        } catch (RepositoryNotFoundException e) {
            return false;
        }
    }

    @Test
    void createOnPushIsOffByDefault() {
        assertFalse(ConfigLoader.load(new String[0], Map.of()).config().registry().createOnPush());
    }

    @Nested
    class Off {
        @RegisterExtension
        static final LadingServer server = EcrTestSupport.server(List.of(EcrTestSupport.TESTER),
                "--auth.dataPlane=required", "--registry.createOnPush=false");

        @Test
        void aPushToAMissingRepositoryIsNameUnknownEvenForAnOperator() {
            TestHttp tester = new TestHttp(server);
            assertEquals(404, pushBlob(tester, "team-a/missing").statusCode());
            assertEquals(404, tester.send("POST", "/v2/team-a/missing/blobs/uploads/", null, null).statusCode());
            assertEquals(404, tester.send("PUT", "/v2/team-a/missing/manifests/v1", MANIFEST, OCI).statusCode());
            assertFalse(exists(server, "team-a/missing"));
        }
    }

    @Nested
    class On {
        @RegisterExtension
        static final LadingServer server = EcrTestSupport.server(List.of(EcrTestSupport.TESTER, PUSHER, CREATOR),
                "--auth.dataPlane=required", "--registry.createOnPush=true");

        @Test
        void pushRightsAloneDoNotCreateARepository() {
            TestHttp pusher = new TestHttp(server, PUSHER.accessKeyId(), PUSHER.secret());
            for (String[] call : new String[][] {{"POST", "/v2/team-a/brand-new/blobs/uploads/"},
                    {"POST", "/v2/team-a/brand-new/blobs/uploads/?digest=" + DIGEST},
                    {"POST", "/v2/team-a/brand-new/blobs/uploads/?mount=" + DIGEST + "&from=team-a/other"},
                    {"PUT", "/v2/team-a/brand-new/manifests/v1"}}) {
                HttpResponse<byte[]> r = pusher.send(call[0], call[1], call[0].equals("PUT") ? MANIFEST : CONFIG,
                        call[0].equals("PUT") ? OCI : null);
                assertEquals(403, r.statusCode(), call[0] + " " + call[1]);
                assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("ecr:CreateRepository"),
                        new String(r.body(), StandardCharsets.UTF_8));
            }
            assertFalse(exists(server, "team-a/brand-new"));
        }

        @Test
        void pushRightsSufficeOnAnExistingRepository() {
            try (EcrClient ecr = EcrTestSupport.client(server)) {
                ecr.createRepository(b -> b.repositoryName("team-a/existing"));
            }
            TestHttp pusher = new TestHttp(server, PUSHER.accessKeyId(), PUSHER.secret());
            assertEquals(201, pushBlob(pusher, "team-a/existing").statusCode());
            assertEquals(201, pusher.send("PUT", "/v2/team-a/existing/manifests/v1", MANIFEST, OCI).statusCode());
        }

        @Test
        void aPusherAllowedToCreateCreatesByPushing() {
            TestHttp creator = new TestHttp(server, CREATOR.accessKeyId(), CREATOR.secret());
            assertEquals(201, pushBlob(creator, "team-a/created").statusCode());
            assertEquals(201, creator.send("PUT", "/v2/team-a/created/manifests/v1", MANIFEST, OCI).statusCode());
            assertTrue(exists(server, "team-a/created"));
            // but not outside the names it may create
            assertEquals(403, pushBlob(creator, "team-b/created").statusCode());
        }
    }
}
