package io.lading.http.ecr;

import io.lading.http.testing.LadingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.PutImageResponse;

/** Builds images and pushes them through the ECR API path (or /v2) for the image and layer tests. */
final class EcrTestImages {

    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private EcrTestImages() {
    }

    /** A pushed blob. */
    record Blob(String digest, byte[] bytes) {
        long size() {
            return bytes.length;
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Uploads {@code bytes} in one part with InitiateLayerUpload / UploadLayerPart / CompleteLayerUpload. */
    static Blob pushBlob(EcrClient ecr, String repo, byte[] bytes) {
        String uploadId = ecr.initiateLayerUpload(b -> b.repositoryName(repo)).uploadId();
        ecr.uploadLayerPart(b -> b.repositoryName(repo).uploadId(uploadId).partFirstByte(0L)
                .partLastByte((long) bytes.length - 1).layerPartBlob(SdkBytes.fromByteArray(bytes)));
        String digest = sha256(bytes);
        ecr.completeLayerUpload(b -> b.repositoryName(repo).uploadId(uploadId).layerDigests(digest));
        return new Blob(digest, bytes);
    }

    static Blob pushBlob(EcrClient ecr, String repo, String content) {
        return pushBlob(ecr, repo, content.getBytes(StandardCharsets.UTF_8));
    }

    /** An image manifest (Docker schema 2 or OCI, by {@code mediaType}), pretty-printed like docker does. */
    static String imageManifest(String mediaType, Blob config, Blob... layers) {
        boolean oci = mediaType.equals(OCI_MANIFEST);
        StringBuilder sb = new StringBuilder();
        sb.append("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"").append(mediaType).append("\",\n");
        sb.append("   \"config\": {\"mediaType\": \"").append(oci ? OCI_CONFIG : DOCKER_CONFIG)
                .append("\", \"size\": ").append(config.size()).append(", \"digest\": \"").append(config.digest())
                .append("\"},\n   \"layers\": [");
        for (int i = 0; i < layers.length; i++) {
            sb.append(i == 0 ? "\n" : ",\n").append("      {\"mediaType\": \"").append(oci ? OCI_LAYER : DOCKER_LAYER)
                    .append("\", \"size\": ").append(layers[i].size()).append(", \"digest\": \"")
                    .append(layers[i].digest()).append("\"}");
        }
        sb.append("\n   ]\n}");
        return sb.toString();
    }

    /** An OCI index over {@code children} (digest, size, platform-less). */
    static String index(List<String> childDigests, List<Integer> childSizes) {
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[");
        for (int i = 0; i < childDigests.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(OCI_MANIFEST).append("\",\"size\":")
                    .append(childSizes.get(i)).append(",\"digest\":\"").append(childDigests.get(i)).append("\"}");
        }
        return sb.append("]}").toString();
    }

    /** Pushes a config and one layer with distinct content, then the manifest (tagged if {@code tag} given). */
    static Pushed pushImage(EcrClient ecr, String repo, String mediaType, String seed, String tag) {
        Blob config = pushBlob(ecr, repo, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}");
        Blob layer = pushBlob(ecr, repo, "layer-bytes-" + seed);
        String manifest = imageManifest(mediaType, config, layer);
        PutImageResponse r = ecr.putImage(b -> b.repositoryName(repo).imageManifest(manifest).imageTag(tag));
        return new Pushed(r.image().imageId().imageDigest(), manifest, config, layer);
    }

    record Pushed(String digest, String manifest, Blob config, Blob layer) {
        long imageSize() {
            return config.size() + layer.size();
        }
    }

    static String basicAuth() {
        return "Basic " + Base64.getEncoder().encodeToString((EcrTestSupport.ACCESS_KEY + ":" + EcrTestSupport.SECRET)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A /v2 request with static-key Basic authentication (or none when {@code authenticated} is false). */
    static HttpResponse<byte[]> v2(LadingServer server, String method, String path, byte[] body, boolean authenticated,
            String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + server.hostPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authenticated) {
            b.header("Authorization", basicAuth());
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> head(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Pushes a blob over /v2 in one monolithic POST. */
    static Blob v2Blob(LadingServer server, String repo, byte[] bytes) throws Exception {
        String digest = sha256(bytes);
        HttpResponse<byte[]> r = v2(server, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, bytes, true,
                "Content-Type", "application/octet-stream");
        if (r.statusCode() != 201) {
            throw new AssertionError("blob push answered " + r.statusCode() + ": " + new String(r.body()));
        }
        return new Blob(digest, bytes);
    }
}
