package io.lading.http.authz;

import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.EcrClient;

/** Pushes images through the ECR API and sends /v2 requests as a given user, for the authorization tests. */
final class AuthzTestSupport {

    static final String REGION = "us-east-1";
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AuthzTestSupport() {
    }

    static String repoArn(String name) {
        return "arn:aws:ecr:" + REGION + ":" + EcrTestSupport.ACCOUNT + ":repository/" + name;
    }

    /** The AccessDenied sentence of spec §10 for an implicit deny. */
    static String denied(EcrTestSupport.TestUser user, String action, String resource, String reason) {
        return "User: " + user.arn() + " is not authorized to perform: " + action + " on resource: " + resource + " "
                + reason;
    }

    static String noIdentity(String action) {
        return "because no identity-based policy allows the " + action + " action";
    }

    static EcrClient client(LadingServer server, EcrTestSupport.TestUser user) {
        return EcrTestSupport.client(server, user.accessKeyId(), user.secret());
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pushBlob(EcrClient ecr, String repo, byte[] bytes) {
        String uploadId = ecr.initiateLayerUpload(b -> b.repositoryName(repo)).uploadId();
        ecr.uploadLayerPart(b -> b.repositoryName(repo).uploadId(uploadId).partFirstByte(0L)
                .partLastByte((long) bytes.length - 1).layerPartBlob(SdkBytes.fromByteArray(bytes)));
        String digest = sha256(bytes);
        ecr.completeLayerUpload(b -> b.repositoryName(repo).uploadId(uploadId).layerDigests(digest));
        return digest;
    }

    /** Pushes a one-layer OCI image and returns its manifest. */
    static String pushImage(EcrClient ecr, String repo, String tag) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"repo\":\"" + repo + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer of " + repo).getBytes(StandardCharsets.UTF_8);
        String configDigest = pushBlob(ecr, repo, config);
        String layerDigest = pushBlob(ecr, repo, layer);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"size\":" + config.length + ",\"digest\":\""
                + configDigest + "\"},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"size\":" + layer.length + ",\"digest\":\"" + layerDigest + "\"}]}";
        ecr.putImage(b -> b.repositoryName(repo).imageManifest(manifest).imageTag(tag));
        return manifest;
    }

    /** A /v2 request with Basic {@code accessKeyId:secret} of {@code user} (none when null). */
    static HttpResponse<String> v2(LadingServer server, EcrTestSupport.TestUser user, String method, String path,
            byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + server.hostPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user.accessKeyId() + ":" + user.secret()).getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body of a 403 DENIED answer carrying {@code message}. */
    static String deniedBody(String message) {
        return "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"" + message + "\",\"detail\":{}}]}";
    }
}
