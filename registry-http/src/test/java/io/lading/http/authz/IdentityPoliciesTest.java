package io.lading.http.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.auth.policy.ManagedPolicies;
import io.lading.http.config.ConfigLoader;
import io.lading.http.Lading;
import io.lading.http.testing.TestMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users' policy entries: managed names, inline documents, and start-up failures that name the user. */
class IdentityPoliciesTest {

    static final String ARN = "arn:aws:iam::123456789012:user/ci";

    @Test
    void managedNamesAndInlineDocumentsResolve() {
        IdentityPolicies p = IdentityPolicies.builder().add("ci", ARN, List.of(ManagedPolicies.READ_ONLY,
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:PutImage\","
                        + "\"Resource\":\"*\"}]}")).build();
        assertEquals(2, p.of(ARN).size());
        assertTrue(p.exists(ARN));
        assertFalse(p.exists("arn:aws:iam::123456789012:user/other"));
        assertEquals(List.of(), p.of("arn:aws:iam::123456789012:user/other"));
    }

    @Test
    void badEntriesNameTheUser() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> IdentityPolicies.builder().add("ci", ARN, List.of("AmazonEC2ContainerRegistryEverything")));
        assertTrue(unknown.getMessage().startsWith("user 'ci': policies[0] 'AmazonEC2ContainerRegistryEverything'"),
                unknown.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> IdentityPolicies.builder().add("ci", ARN, List.of(ManagedPolicies.READ_ONLY,
                        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:PutImage\"}]}")));
        assertTrue(invalid.getMessage().startsWith("user 'ci': policies[1] is not a valid identity policy"),
                invalid.getMessage());
    }

    @Test
    void startFailsOnAnInvalidPolicy(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("users.yaml");
        Files.writeString(config, """
                auth:
                  users:
                    - name: broken
                      accessKeyId: AKIABROKENBROKEN0001
                      secretAccessKey: broken-secret-0000000000
                      policies: [NoSuchPolicy]
                """);
        Path data = dir.resolve("data");
        List<String> args = new ArrayList<>(List.of("--config", config.toString(), "--server.port=0",
                "--storage.root=" + data));
        args.addAll(TestMetadata.flags(data));
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lading.start(ConfigLoader.load(
                    args.toArray(String[]::new), Map.of()).config()));
            assertTrue(e.getMessage().startsWith("user 'broken': policies[0] 'NoSuchPolicy'"), e.getMessage());
        } finally {
            TestMetadata.release(data);
        }
    }
}
