package io.lading.http.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.ecr.EcrTestSupport.TestUser;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.LimitExceededException;

/**
 * {@code registry.uploadSessionsPerPrincipal} (3 here) and {@code registry.uploadSessionsTotal} (5), with
 * authentication on, driven as an attacker would: one principal opens sessions until refused, and what it
 * could not take stays for the others. Over a limit: {@code 429 TOOMANYREQUESTS} with {@code Retry-After} on
 * /v2, {@code LimitExceededException} on InitiateLayerUpload. Completed, cancelled and expired sessions and
 * those of a deleted repository free their slot; the count survives a restart.
 */
class UploadSessionLimitsTest {

    private static final String PUSH = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "[\"ecr:InitiateLayerUpload\",\"ecr:UploadLayerPart\",\"ecr:CompleteLayerUpload\",\"ecr:PutImage\","
            + "\"ecr:BatchCheckLayerAvailability\",\"ecr:GetDownloadUrlForLayer\"],\"Resource\":\"*\"}]}";
    private static final TestUser ALICE = new TestUser("alice", "AKIAALICEALICEAL0002", "alice-secret-000000000000",
            null, List.of(PUSH));
    private static final TestUser MALLORY = new TestUser("mallory", "AKIAMALLORYMALLO0002", "mallory-secret-0000000000",
            null, List.of(PUSH));

    @RegisterExtension
    static final LadingServer server = EcrTestSupport.server(List.of(EcrTestSupport.TESTER, ALICE, MALLORY),
            "--auth.dataPlane=required", "--registry.uploadSessionsPerPrincipal=3", "--registry.uploadSessionsTotal=5");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPO = "limits/uploads";

    private final TestHttp alice = new TestHttp(server, ALICE.accessKeyId(), ALICE.secret());
    private final TestHttp mallory = new TestHttp(server, MALLORY.accessKeyId(), MALLORY.secret());
    private final TestHttp tester = new TestHttp(server);

    private static String start(TestHttp as) {
        HttpResponse<byte[]> r = as.send("POST", "/v2/" + REPO + "/blobs/uploads/", null, null);
        assertEquals(202, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        return r.headers().firstValue("Location").orElseThrow();
    }

    private static String assertTooMany(TestHttp as, String key) throws Exception {
        HttpResponse<byte[]> r = as.send("POST", "/v2/" + REPO + "/blobs/uploads/", null, null);
        assertEquals(429, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("10", r.headers().firstValue("Retry-After").orElse(null));
        JsonNode error = JSON.readTree(r.body()).get("errors").get(0);
        assertEquals("TOOMANYREQUESTS", error.get("code").asText());
        assertTrue(error.get("message").asText().contains(key), error.get("message").asText());
        return error.get("message").asText();
    }

    private static String withDigest(String location, byte[] bytes) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + TestHttp.sha256(bytes);
    }

    @Test
    void oneCallerCannotExhaustTheRegistryAndFinishedSessionsFreeTheirSlots() throws Exception {
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            ecr.createRepository(b -> b.repositoryName(REPO));
        }
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(start(mallory));
        }
        String message = assertTooMany(mallory, "registry.uploadSessionsPerPrincipal");
        assertTrue(message.contains(MALLORY.arn()), message);
        try (EcrClient m = EcrTestSupport.client(server, MALLORY.accessKeyId(), MALLORY.secret())) {
            LimitExceededException e = assertThrows(LimitExceededException.class,
                    () -> m.initiateLayerUpload(b -> b.repositoryName(REPO)));
            assertTrue(e.awsErrorDetails().errorMessage().contains("registry.uploadSessionsPerPrincipal"),
                    e.awsErrorDetails().errorMessage());
        }

        // what mallory could not take is there for alice, up to the total
        String a1 = start(alice);
        String a2 = start(alice);
        assertTooMany(alice, "registry.uploadSessionsTotal");
        assertTooMany(tester, "registry.uploadSessionsTotal");
        try (EcrClient a = EcrTestSupport.client(server, ALICE.accessKeyId(), ALICE.secret())) {
            assertThrows(LimitExceededException.class, () -> a.initiateLayerUpload(b -> b.repositoryName(REPO)));
        }
        // a monolithic upload holds no session beyond its request
        byte[] small = "monolithic".getBytes(StandardCharsets.UTF_8);
        assertEquals(201, alice.send("POST", "/v2/" + REPO + "/blobs/uploads/?digest=" + TestHttp.sha256(small), small,
                "application/octet-stream").statusCode());

        // a completed session frees its slot
        byte[] layer = "alice's layer".getBytes(StandardCharsets.UTF_8);
        assertEquals(202, alice.send("PATCH", a1, layer, "application/octet-stream").statusCode());
        assertEquals(201, alice.send("PUT", withDigest(a1, layer), null, null).statusCode());
        String t1 = start(tester);
        assertTooMany(tester, "registry.uploadSessionsTotal");

        // a cancelled one too
        assertEquals(204, mallory.send("DELETE", mine.remove(0), null, null).statusCode());
        try (EcrClient t = EcrTestSupport.client(server)) {
            String id = t.initiateLayerUpload(b -> b.repositoryName(REPO)).uploadId();
            assertThrows(LimitExceededException.class, () -> t.initiateLayerUpload(b -> b.repositoryName(REPO)));
            // a session completed through the ECR API frees its slot
            byte[] part = "an ecr layer".getBytes(StandardCharsets.UTF_8);
            t.uploadLayerPart(b -> b.repositoryName(REPO).uploadId(id).partFirstByte(0L)
                    .partLastByte((long) part.length - 1).layerPartBlob(SdkBytes.fromByteArray(part)));
            t.completeLayerUpload(b -> b.repositoryName(REPO).uploadId(id).layerDigests(TestHttp.sha256(part)));
        }
        String t2 = start(tester);
        assertTooMany(tester, "registry.uploadSessionsTotal");

        // the count is rebuilt from the store at start: still full after a restart
        server.stop();
        server.start();
        assertTooMany(tester, "registry.uploadSessionsTotal");
        assertTooMany(mallory, "registry.uploadSessionsTotal");
        assertEquals(204, tester.send("DELETE", t1, null, null).statusCode());
        assertEquals(204, tester.send("DELETE", t2, null, null).statusCode());
        // mallory has 2 again: one more is its third, the fourth is refused per principal
        mine.add(start(mallory));
        assertTooMany(mallory, "registry.uploadSessionsPerPrincipal");
        assertEquals(1, server.lading().registry().uploads().openSessions(ALICE.arn()));
        assertEquals(4, server.lading().registry().uploads().openSessions());

        // deleting the repository removes its sessions and frees every slot
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            ecr.deleteRepository(b -> b.repositoryName(REPO).force(true));
            assertEquals(0, server.lading().registry().uploads().openSessions());
            ecr.createRepository(b -> b.repositoryName(REPO));
        }
        for (int i = 0; i < 3; i++) {
            start(mallory);
        }
        assertTooMany(mallory, "registry.uploadSessionsPerPrincipal");
        start(alice);
        start(alice);
        assertTooMany(alice, "registry.uploadSessionsTotal");
    }
}
