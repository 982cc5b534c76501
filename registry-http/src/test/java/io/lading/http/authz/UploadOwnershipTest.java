package io.lading.http.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.ecr.EcrTestSupport.TestUser;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.UploadNotFoundException;

/**
 * An upload session belongs to the principal that opened it: another user with push rights on the same
 * repository cannot see, extend, complete or cancel it ({@code /v2}: {@code 404 BLOB_UPLOAD_UNKNOWN}; ECR:
 * {@code UploadNotFoundException}), also after a restart.
 */
class UploadOwnershipTest {

    private static final String PUSH = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "[\"ecr:InitiateLayerUpload\",\"ecr:UploadLayerPart\",\"ecr:CompleteLayerUpload\",\"ecr:PutImage\","
            + "\"ecr:BatchCheckLayerAvailability\",\"ecr:GetDownloadUrlForLayer\"],\"Resource\":\"*\"}]}";
    static final TestUser ALICE = new TestUser("alice", "AKIAALICEALICEAL0001", "alice-secret-000000000000", null,
            List.of(PUSH));
    static final TestUser MALLORY = new TestUser("mallory", "AKIAMALLORYMALLO0001", "mallory-secret-0000000000",
            null, List.of(PUSH));

    @RegisterExtension
    static final LadingServer server = EcrTestSupport.server(List.of(EcrTestSupport.TESTER, ALICE, MALLORY),
            "--auth.dataPlane=required");

    private static final String REPO = "shared/app";
    private final TestHttp alice = new TestHttp(server, ALICE.accessKeyId(), ALICE.secret());
    private final TestHttp mallory = new TestHttp(server, MALLORY.accessKeyId(), MALLORY.secret());

    private static void createRepository() {
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            if (ecr.describeRepositories().repositories().stream().noneMatch(r -> r.repositoryName().equals(REPO))) {
                ecr.createRepository(b -> b.repositoryName(REPO));
            }
        }
    }

    private static void assertUnknown(HttpResponse<byte[]> r, String what) {
        assertEquals(404, r.statusCode(), what);
        if (r.body().length > 0) {
            assertEquals(true, new String(r.body(), StandardCharsets.UTF_8).contains("BLOB_UPLOAD_UNKNOWN"), what);
        }
    }

    @Test
    void anotherPrincipalCannotTouchAV2Session() throws Exception {
        createRepository();
        HttpResponse<byte[]> start = alice.send("POST", "/v2/" + REPO + "/blobs/uploads/", null, null);
        assertEquals(202, start.statusCode());
        String session = start.headers().firstValue("Location").orElseThrow();
        byte[] mine = "alice's layer".getBytes(StandardCharsets.UTF_8);
        byte[] theirs = "mallory's bytes".getBytes(StandardCharsets.UTF_8);
        assertEquals(202, alice.send("PATCH", session, mine, "application/octet-stream").statusCode());

        assertUnknown(mallory.send("PATCH", session, theirs, "application/octet-stream"), "PATCH");
        assertUnknown(mallory.send("GET", session, null, null), "GET");
        assertUnknown(mallory.send("PUT", session + (session.contains("?") ? "&" : "?") + "digest="
                + TestHttp.sha256(mine), null, null), "PUT");
        assertUnknown(mallory.send("DELETE", session, null, null), "DELETE");

        // the owner's session is intact, and stays its own after a restart
        server.stop();
        server.start();
        assertUnknown(mallory.send("PATCH", session, theirs, "application/octet-stream"), "PATCH after restart");
        HttpResponse<byte[]> done = alice.send("PUT", session + (session.contains("?") ? "&" : "?") + "digest="
                + TestHttp.sha256(mine), null, null);
        assertEquals(201, done.statusCode(), new String(done.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> blob = alice.send("GET", "/v2/" + REPO + "/blobs/" + TestHttp.sha256(mine), null, null);
        assertEquals(new String(mine, StandardCharsets.UTF_8), new String(blob.body(), StandardCharsets.UTF_8));
    }

    @Test
    void anotherPrincipalCannotTouchAnEcrLayerUpload() {
        createRepository();
        byte[] part = "a layer part".getBytes(StandardCharsets.UTF_8);
        try (EcrClient a = AuthzTestSupport.client(server, ALICE); EcrClient m = AuthzTestSupport.client(server, MALLORY)) {
            String uploadId = a.initiateLayerUpload(b -> b.repositoryName(REPO)).uploadId();
            assertThrows(UploadNotFoundException.class, () -> m.uploadLayerPart(b -> b.repositoryName(REPO)
                    .uploadId(uploadId).partFirstByte(0L).partLastByte((long) part.length - 1)
                    .layerPartBlob(SdkBytes.fromByteArray(part))));
            a.uploadLayerPart(b -> b.repositoryName(REPO).uploadId(uploadId).partFirstByte(0L)
                    .partLastByte((long) part.length - 1).layerPartBlob(SdkBytes.fromByteArray(part)));
            assertThrows(UploadNotFoundException.class, () -> m.completeLayerUpload(b -> b.repositoryName(REPO)
                    .uploadId(uploadId).layerDigests(TestHttp.sha256(part))));
            assertEquals(TestHttp.sha256(part), a.completeLayerUpload(b -> b.repositoryName(REPO).uploadId(uploadId)
                    .layerDigests(TestHttp.sha256(part))).layerDigest());
        }
    }
}
