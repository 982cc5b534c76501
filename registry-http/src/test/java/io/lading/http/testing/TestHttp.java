package io.lading.http.testing;

import io.lading.http.ecr.EcrTestSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A small HTTP client for server tests of {@code /v2} and {@code /_lading}: every request carries Basic
 * credentials (the {@link EcrTestSupport#TESTER} access key, unless another is given), since tests run
 * with authentication on.
 */
public final class TestHttp {

    /** The {@code Authorization} header of the default test user. */
    public static final String TESTER_AUTHORIZATION = basic(EcrTestSupport.ACCESS_KEY, EcrTestSupport.SECRET);

    private final LadingNode server;
    private final String authorization;
    private final HttpClient http = HttpClient.newHttpClient();

    /** As the default test user. */
    public TestHttp(LadingNode server) {
        this(server, EcrTestSupport.ACCESS_KEY, EcrTestSupport.SECRET);
    }

    /** As the user with this access key. */
    public TestHttp(LadingNode server, String accessKeyId, String secret) {
        this.server = server;
        this.authorization = basic(accessKeyId, secret);
    }

    /** {@code Basic base64(user:password)}. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one request; {@code body} and {@code contentType} may be null. */
    public HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType) {
        return send(method, path, body, contentType, new String[0]);
    }

    /** As {@link #send(String, String, byte[], String)}, with more headers: names and values alternating. */
    public HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The path and query of a {@code Location} header (which may be an absolute URL), to send a request to. */
    public static String pathOf(String location) {
        URI uri = URI.create(location);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** {@code sha256:<hex>} of the bytes. */
    public static String sha256(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
