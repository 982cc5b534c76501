package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first start with standard output redirected (a container, a service manager) never writes the
 * generated administrator's secret there: log systems keep what containers print. It names the file.
 */
class GeneratedAdminOutputTest {

    @TempDir
    Path work;

    @Test
    void aRedirectedFirstStartNamesTheSecretsFileButNeverPrintsTheSecret() throws Exception {
        try (SubprocessServer server = SubprocessServer.fresh(work).start()) {
            Path credentials = server.dataDir().resolve("auth/admin-credentials.json");
            String secret = E2e.readJson(credentials).get("secretAccessKey").asText();
            String accessKey = E2e.readJson(credentials).get("accessKeyId").asText();
            String log = server.log();
            assertFalse(log.contains(secret), "the secret reached standard output:\n" + log);
            assertTrue(log.contains(accessKey) && log.contains(credentials.toString()), log);
        }
    }
}
