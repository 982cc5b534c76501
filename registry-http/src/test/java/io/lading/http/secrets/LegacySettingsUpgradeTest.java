package io.lading.http.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.account.LegacySettingsImport;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.LegacyLayout;
import io.lading.http.testing.StoredMetadata;
import io.lading.http.testing.TestHttp;
import io.lading.storage.local.LocalDiskMetadataStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;

/**
 * A root an older version wrote, with the account settings and the signing key ring as documents: after
 * the upgrade the registry policy is still enforced and every outstanding password still works.
 */
class LegacySettingsUpgradeTest {

    static final EcrTestSupport.TestUser READER = new EcrTestSupport.TestUser("reader", "AKIAREADERREADER0002",
            "reader-secret-000000000001", null, List.of("AmazonEC2ContainerRegistryReadOnly"));

    @RegisterExtension
    static final LadingServer server = EcrTestSupport.server(List.of(EcrTestSupport.TESTER, READER),
            "--auth.dataPlane=required");

    private static final String DENY_DESCRIBE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
            + "\"Principal\":\"*\",\"Action\":\"ecr:DescribeImages\",\"Resource\":\"*\"}]}";

    @Test
    void theRegistryPolicyAndOutstandingPasswordsSurviveTheImport() throws Exception {
        String repo = "legacy-settings/app";
        String password;
        try (EcrClient admin = EcrTestSupport.client(server)) {
            admin.createRepository(b -> b.repositoryName(repo));
            admin.putRegistryPolicy(b -> b.policyText(DENY_DESCRIBE));
            password = password(admin);
        }
        LegacyLayout.downgrade(server);
        assertTrue(Files.exists(server.dataDir().resolve("meta/accounts/" + EcrTestSupport.ACCOUNT + "/settings@")));

        server.start();

        try (EcrClient admin = EcrTestSupport.client(server);
                EcrClient reader = EcrTestSupport.client(server, READER.accessKeyId(), READER.secret())) {
            assertEquals(DENY_DESCRIBE, admin.getRegistryPolicy(b -> { }).policyText());
            EcrException denied = assertThrows(EcrException.class, () -> reader.describeImages(b -> b.repositoryName(repo)));
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            assertEquals(200, new TestHttp(server, "AWS", password).send("GET", "/v2/_catalog", null, null).statusCode(),
                    "a password signed before the upgrade still works");
            admin.deleteRegistryPolicy(b -> { });
        }
        // imported once: the documents stay, and a restart does not bring the deleted policy back
        server.stop();
        server.start();
        try (EcrClient admin = EcrTestSupport.client(server)) {
            assertThrows(EcrException.class, () -> admin.getRegistryPolicy(b -> { }));
        }
        assertTrue(new LocalDiskMetadataStore(server.dataDir()).get(LegacySettingsImport.MARKER).isPresent());
    }

    /** Fail closed: a settings document that does not parse stops the start rather than dropping its policy. */
    @Test
    void anUnreadableSettingsDocumentStopsTheStart() throws Exception {
        LegacyLayout.downgrade(server);
        LocalDiskMetadataStore docs = new LocalDiskMetadataStore(server.dataDir());
        String key = "accounts/" + EcrTestSupport.ACCOUNT + "/settings";
        docs.put(key, "{\"registryPolicy\": \"{\\\"Statement\\\"".getBytes(StandardCharsets.UTF_8));
        try {
            Exception e = assertThrows(Exception.class, server::start);
            assertTrue(String.valueOf(e.getMessage()).contains(key) || String.valueOf(e.getCause()).contains(key),
                    String.valueOf(e));
        } finally {
            docs.put(key, "{\"registryPolicy\":null}".getBytes(StandardCharsets.UTF_8));
        }
        server.start();
        assertTrue(StoredMetadata.accounts(server.dataDir()).contains(EcrTestSupport.ACCOUNT));
    }

    private static String password(EcrClient ecr) {
        String token = ecr.getAuthorizationToken().authorizationData().get(0).authorizationToken();
        String decoded = new String(java.util.Base64.getDecoder().decode(token), StandardCharsets.US_ASCII);
        return decoded.substring("AWS:".length());
    }
}
