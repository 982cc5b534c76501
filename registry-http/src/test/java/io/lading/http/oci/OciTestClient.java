package io.lading.http.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Shared helpers of the {@code /v2} server tests: a JDK HTTP client bound to the test server that checks
 * {@code Docker-Distribution-API-Version} on every response, blob and image pushes, manifest builders,
 * digests, error-body parsing, and a raw-socket exchange for requests the JDK client cannot send.
 */
final class OciTestClient {

    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    static final String API_VERSION = "Docker-Distribution-API-Version";
    static final String DIGEST_HEADER = "Docker-Content-Digest";

    static final ObjectMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    OciTestClient(URI base) {
        this.base = base;
    }

    /** A descriptor as manifests list it. */
    record Desc(String mediaType, String digest, long size) {
        ObjectNode json() {
            ObjectNode n = JSON.createObjectNode();
            n.put("mediaType", mediaType);
            n.put("digest", digest);
            n.put("size", size);
            return n;
        }
    }

    /** A pushed manifest: its bytes, digest and type, and the blobs it references. */
    record Pushed(byte[] bytes, String digest, String mediaType, Desc config, List<Desc> layers) {
        Desc descriptor() {
            return new Desc(mediaType, digest, bytes.length);
        }
    }

    // ---- requests ----

    HttpRequest.Builder request(String pathAndQuery) {
        // concatenated, not resolved: the path is sent as written (no normalisation of "//" or "..")
        URI uri = pathAndQuery.startsWith("http") ? URI.create(pathAndQuery) : URI.create(base + pathAndQuery);
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Authorization", AUTHORIZATION);
    }

    /** Every request authenticates as the default test user (the server requires authentication). */
    static final String AUTHORIZATION = io.lading.http.testing.TestHttp.TESTER_AUTHORIZATION;

    /** Sends, and checks the API version header every /v2 response carries. */
    HttpResponse<byte[]> send(HttpRequest.Builder builder) {
        try {
            HttpResponse<byte[]> r = http.send(builder.build(), BodyHandlers.ofByteArray());
            assertEquals("registry/2.0", r.headers().firstValue(API_VERSION).orElse(null),
                    "API version header on " + r.request().method() + " " + r.uri());
            return r;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send(withHeaders(request(path).GET(), headers));
    }

    HttpResponse<byte[]> head(String path, String... headers) {
        return send(withHeaders(request(path).HEAD(), headers));
    }

    HttpResponse<byte[]> delete(String path) {
        return send(request(path).DELETE());
    }

    HttpResponse<byte[]> post(String path, byte[] body) {
        return send(request(path).POST(body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body)));
    }

    HttpResponse<byte[]> patch(String path, byte[] body, String... headers) {
        return send(withHeaders(request(path).method("PATCH", BodyPublishers.ofByteArray(body)), headers));
    }

    HttpResponse<byte[]> put(String path, byte[] body, String... headers) {
        return send(withHeaders(request(path).PUT(body == null ? BodyPublishers.noBody()
                : BodyPublishers.ofByteArray(body)), headers));
    }

    HttpResponse<byte[]> putManifest(String repo, String reference, byte[] body, String contentType) {
        return put("/v2/" + repo + "/manifests/" + reference, body, "Content-Type", contentType);
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    // ---- pushes ----

    /** Pushes {@code content} monolithically into {@code repo}; returns its digest. */
    String pushBlob(String repo, byte[] content) {
        String digest = sha256(content);
        HttpResponse<byte[]> r = post("/v2/" + repo + "/blobs/uploads/?digest=" + digest, content);
        assertEquals(201, r.statusCode(), () -> "blob push: " + body(r));
        return digest;
    }

    /** Opens an upload session and returns its Location (a path). */
    String startUpload(String repo) {
        HttpResponse<byte[]> r = post("/v2/" + repo + "/blobs/uploads/", null);
        assertEquals(202, r.statusCode(), () -> body(r));
        return location(r);
    }

    /** Pushes a config, one layer and an image manifest of {@code mediaType} (Docker schema 2 or OCI). */
    Pushed pushImage(String repo, String reference, String mediaType) {
        boolean docker = DOCKER_MANIFEST.equals(mediaType);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":\"" + randomHex() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = randomBytes(300);
        Desc c = new Desc(docker ? DOCKER_CONFIG : OCI_CONFIG, pushBlob(repo, config), config.length);
        Desc l = new Desc(docker ? DOCKER_LAYER : OCI_LAYER, pushBlob(repo, layer), layer.length);
        byte[] manifest = imageManifest(mediaType, c, List.of(l));
        return putOk(repo, reference, manifest, mediaType, c, List.of(l));
    }

    /** PUTs a manifest, asserting 201 with Location and digest header. */
    Pushed putOk(String repo, String reference, byte[] manifest, String mediaType, Desc config, List<Desc> layers) {
        String digest = sha256(manifest);
        HttpResponse<byte[]> r = putManifest(repo, reference, manifest, mediaType);
        assertEquals(201, r.statusCode(), () -> "manifest push: " + body(r));
        assertEquals(digest, r.headers().firstValue(DIGEST_HEADER).orElse(null));
        assertEquals("/v2/" + repo + "/manifests/" + digest, location(r));
        return new Pushed(manifest, digest, mediaType, config, layers);
    }

    // ---- manifest builders ----

    static byte[] imageManifest(String mediaType, Desc config, List<Desc> layers) {
        return imageManifest(mediaType, config, layers, null, null, Map.of());
    }

    static byte[] imageManifest(String mediaType, Desc config, List<Desc> layers, String artifactType,
            Desc subject, Map<String, String> annotations) {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", mediaType);
        if (artifactType != null) {
            m.put("artifactType", artifactType);
        }
        m.set("config", config.json());
        ArrayNode ls = m.putArray("layers");
        layers.forEach(l -> ls.add(l.json()));
        if (subject != null) {
            m.set("subject", subject.json());
        }
        if (!annotations.isEmpty()) {
            m.set("annotations", JSON.valueToTree(annotations));
        }
        return write(m);
    }

    static byte[] index(String mediaType, List<Desc> children) {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", mediaType);
        ArrayNode ms = m.putArray("manifests");
        String[] arches = {"amd64", "arm64", "s390x", "ppc64le"};
        for (int i = 0; i < children.size(); i++) {
            ObjectNode d = children.get(i).json();
            ObjectNode platform = d.putObject("platform");
            platform.put("architecture", arches[i % arches.length]);
            platform.put("os", "linux");
            ms.add(d);
        }
        return write(m);
    }

    static byte[] write(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- responses ----

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    static String randomHex() {
        return HexFormat.of().formatHex(randomBytes(8));
    }

    static String body(HttpResponse<byte[]> r) {
        return r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    static String location(HttpResponse<?> r) {
        String l = header(r, "Location");
        assertNotNull(l, "Location header");
        return l;
    }

    static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }

    /** The codes of an {@code {"errors":[...]}} body, in order. */
    static List<String> errorCodes(byte[] body) {
        JsonNode errors = json(body).get("errors");
        assertNotNull(errors, () -> "no errors member in " + new String(body, StandardCharsets.UTF_8));
        assertTrue(errors.isArray() && !errors.isEmpty(), "errors must be a non-empty array");
        List<String> codes = new ArrayList<>();
        errors.forEach(e -> {
            assertTrue(e.hasNonNull("message"), "error entry needs a message");
            codes.add(e.get("code").asText());
        });
        return codes;
    }

    /** Asserts the status and that the first error code is {@code code}. */
    static JsonNode assertError(HttpResponse<byte[]> r, int status, String code) {
        assertEquals(status, r.statusCode(), () -> "status of " + r.request().method() + " " + r.uri() + ": "
                + body(r));
        assertEquals(code, errorCodes(r.body()).get(0), () -> body(r));
        return json(r.body()).get("errors").get(0);
    }

    // ---- raw socket ----

    /** A response read off a raw socket. */
    record RawResponse(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Sends {@code head} (CRLF line ends, ending in an empty line) and reads one response. The default
     * user's {@code Authorization} is added after the request line unless the head carries one.
     */
    RawResponse raw(String head) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(withAuthorization(head).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readResponse(s.getInputStream());
        }
    }

    static String withAuthorization(String head) {
        int eol = head.indexOf("\r\n");
        if (eol < 0 || head.toLowerCase(Locale.ROOT).contains("\r\nauthorization:")) {
            return head;
        }
        return head.substring(0, eol + 2) + "Authorization: " + AUTHORIZATION + "\r\n" + head.substring(eol + 2);
    }

    static RawResponse readResponse(InputStream in) throws IOException {
        String status = readLine(in);
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new RawResponse(code, headers, in.readNBytes(length));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed mid-line after: " + line);
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
