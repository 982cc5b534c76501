package io.lading.http.ecr;

import io.lading.http.testing.LadingServer;
import java.net.URI;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/** Builds AWS SDK v2 ECR clients against a test server. */
public final class EcrTestSupport {

    /** A test user configured by {@link #server(String...)}. */
    public static final String ACCESS_KEY = "AKIATESTTESTTEST0001";
    public static final String SECRET = "test-secret-key-0000000000000000000000";
    public static final String ACCOUNT = "123456789012";

    private EcrTestSupport() {
    }

    /**
     * A configured test user.
     *
     * @param accountId the user's account, or null for the registry's account ({@link #ACCOUNT})
     * @param policies managed policy names or inline JSON documents
     */
    public record TestUser(String name, String accessKeyId, String secret, String accountId, List<String> policies) {
        /** The user's ARN. */
        public String arn() {
            return "arn:aws:iam::" + (accountId == null ? ACCOUNT : accountId) + ":user/" + name;
        }
    }

    /** The default test user: {@code tester}, with AmazonEC2ContainerRegistryFullAccess. */
    public static final TestUser TESTER = new TestUser("tester", ACCESS_KEY, SECRET, null,
            List.of("AmazonEC2ContainerRegistryFullAccess"));

    /** A server with one configured user (ACCESS_KEY/SECRET, full access) in account ACCOUNT. */
    public static LadingServer server(String... extraFlags) {
        return server(List.of(TESTER), extraFlags);
    }

    /** A server whose registry account is ACCOUNT, with these users. */
    public static LadingServer server(List<TestUser> users, String... extraFlags) {
        String[] flags = new String[extraFlags.length + 2];
        flags[0] = "--auth.accountId=" + ACCOUNT;
        flags[1] = "--config=" + usersFile(users);
        System.arraycopy(extraFlags, 0, flags, 2, extraFlags.length);
        return new LadingServer(flags);
    }

    /** A temporary configuration file declaring these users (deleted at exit); its path. */
    public static String usersFile(List<TestUser> users) {
        try {
            StringBuilder yaml = new StringBuilder("auth:\n  users:\n");
            for (TestUser u : users) {
                yaml.append("    - name: ").append(u.name()).append('\n')
                        .append("      accessKeyId: ").append(u.accessKeyId()).append('\n')
                        .append("      secretAccessKey: ").append(u.secret()).append('\n');
                if (u.accountId() != null) {
                    yaml.append("      accountId: \"").append(u.accountId()).append("\"\n");
                }
                yaml.append("      policies:\n");
                for (String p : u.policies()) {
                    // single-quoted YAML scalar: JSON documents need no escaping except doubled quotes
                    yaml.append("        - '").append(p.replace("'", "''")).append("'\n");
                }
            }
            java.nio.file.Path f = java.nio.file.Files.createTempFile("lading-users", ".yaml");
            java.nio.file.Files.writeString(f, yaml.toString());
            f.toFile().deleteOnExit();
            return f.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static EcrClient client(LadingServer server) {
        return client(server, ACCESS_KEY, SECRET);
    }

    public static EcrClient client(LadingServer server, String accessKey, String secret) {
        return EcrClient.builder()
                .endpointOverride(URI.create("http://" + server.hostPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }
}
