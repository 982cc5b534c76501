package io.lading.http.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lading.auth.credential.StaticCredentials;
import io.lading.auth.credential.UserConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The user configuration example in docs/auth.md loads and passes the credential store's validation. */
class AuthDocExampleTest {

    @Test
    void authDocExampleConfiguresValidUsers() throws Exception {
        Path doc = Path.of("").toAbsolutePath().getParent().resolve("docs/auth.md");
        Matcher m = Pattern.compile("(?s)```yaml\\R(.*?)```").matcher(Files.readString(doc));
        org.junit.jupiter.api.Assertions.assertTrue(m.find(), "docs/auth.md has a yaml example");
        Path file = Files.createTempFile("auth-example", ".yaml");
        try {
            Files.writeString(file, m.group(1));
            LadingConfig config = ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()).config();
            assertEquals("123456789012", config.auth().accountId());
            assertEquals("eu-west-1", config.auth().region());
            assertEquals(2, config.auth().users().size());
            StaticCredentials store = new StaticCredentials(config.auth().users().stream()
                    .map(u -> new UserConfig(u.name(), config.auth().accountId(), u.accessKeyId(), u.secretAccessKey()))
                    .toList());
            assertEquals("arn:aws:iam::123456789012:user/ci",
                    store.find("AKIACIEXAMPLE0000001").orElseThrow().principal().arn());
            // every policy entry of the example is a managed policy name or a valid identity policy
            io.lading.http.authz.IdentityPolicies.Builder policies = io.lading.http.authz.IdentityPolicies.builder();
            config.auth().users().forEach(u -> policies.add(u.name(), "arn:aws:iam::123456789012:user/" + u.name(),
                    u.policies()));
            assertEquals(2, policies.build().of("arn:aws:iam::123456789012:user/nodes").size());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
