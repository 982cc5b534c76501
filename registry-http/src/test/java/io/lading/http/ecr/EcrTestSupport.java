package io.lading.http.ecr;

import io.lading.http.testing.LadingNode;
import io.lading.http.testing.LadingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
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

    /**
     * Sends {@code body} byte for byte to the ECR API operation {@code operation} (e.g.
     * {@code "CreateRepository"}), signed with SigV4 by the AWS SDK's signer as {@link #TESTER}: for
     * bodies the SDK itself would never send (repeated keys, wrong types). Extra headers are signed too.
     */
    public static HttpResponse<String> signedCall(LadingServer server, String operation, String body,
            String... headers) throws Exception {
        SdkHttpRequest signed = sign("http://" + server.hostPort() + "/", operation, body, headers);
        HttpRequest.Builder b = HttpRequest.newBuilder(signed.getUri()).POST(HttpRequest.BodyPublishers.ofString(body));
        signed.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
            }
        });
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /**
     * As {@link #signedCall} but sent over a plain socket with the {@code Host} header {@code host} (which
     * the JDK client will not send): a client that reached Lading under another name, e.g. AWS's own API
     * host pointed at it. Returns the status code and the body.
     */
    public static Map.Entry<Integer, String> signedCallAs(LadingServer server, String host, String operation,
            String body) throws Exception {
        SdkHttpRequest signed = sign("http://" + host + "/", operation, body);
        byte[] payload = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
        signed.headers().forEach((name, values) -> values.forEach(v -> head.append(name).append(": ").append(v)
                .append("\r\n")));
        if (signed.firstMatchingHeader("Host").isEmpty()) {
            head.append("Host: ").append(host).append("\r\n");
        }
        head.append("Content-Length: ").append(payload.length).append("\r\nConnection: close\r\n\r\n");
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(head.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(payload);
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            return Map.entry(status, response.substring(response.indexOf("\r\n\r\n") + 4));
        }
    }

    /**
     * The head of a POST to {@code uri} for {@code operation}, signed with {@code accessKey}/{@code secret}
     * at {@code clock}'s time over an empty body: a head that passes or fails the server's head-only
     * checks as the key and clock decide (its signature matches no real body).
     */
    static SdkHttpRequest signHead(String uri, String operation, String accessKey, String secret,
            java.time.Clock clock) {
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create(uri))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921." + operation)
                .build();
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(accessKey, secret))
                .request(unsigned)
                .payload(ContentStreamProvider.fromUtf8String(""))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecr")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)).request();
    }

    /** A POST of {@code body} to {@code uri} for ECR operation {@code operation}, signed as {@link #TESTER}. */
    private static SdkHttpRequest sign(String uri, String operation, String body, String... headers) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create(uri))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921." + operation);
        for (int i = 0; i < headers.length; i += 2) {
            unsigned.putHeader(headers[i], headers[i + 1]);
        }
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(ACCESS_KEY, SECRET))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecr")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
    }

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final java.util.Set<String> RESTRICTED = java.util.Set.of("host", "content-length");

    public static EcrClient client(LadingNode server) {
        return client(server, ACCESS_KEY, SECRET);
    }

    public static EcrClient client(LadingNode server, String accessKey, String secret) {
        return EcrClient.builder()
                .endpointOverride(URI.create("http://" + server.hostPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }
}
