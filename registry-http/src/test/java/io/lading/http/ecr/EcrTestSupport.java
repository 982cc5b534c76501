package io.lading.http.ecr;

import io.lading.http.testing.LadingServer;
import java.net.URI;
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

    /** A server with one configured user (ACCESS_KEY/SECRET) in account ACCOUNT. */
    public static LadingServer server(String... extraFlags) {
        String[] flags = new String[extraFlags.length + 2];
        flags[0] = "--auth.accountId=" + ACCOUNT;
        flags[1] = "--config=" + usersFile();
        System.arraycopy(extraFlags, 0, flags, 2, extraFlags.length);
        return new LadingServer(flags);
    }

    private static String usersFile() {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("lading-users", ".yaml");
            java.nio.file.Files.writeString(f, """
                    auth:
                      users:
                        - name: tester
                          accessKeyId: %s
                          secretAccessKey: %s
                    """.formatted(ACCESS_KEY, SECRET));
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
