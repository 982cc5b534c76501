package io.lading.http.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.auth.policy.RegistryApiActions;
import io.lading.auth.policy.V2Request;
import io.lading.http.admin.AdminEndpoint;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.ecr.EcrTestSupport.TestUser;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Walks every (route, method) of the {@code /v2} and {@code /_lading} surfaces as a user with no policies,
 * over a repository that holds a tagged image, a blob and an open upload, and fails if any request
 * reaches a handler without an authorization decision: everything is {@code 403 DENIED}, except
 * {@code /v2/} (authentication only), the catalogue (filtered to nothing) and methods no kind serves
 * ({@code 405}). A sample of every {@link V2Request} kind is listed, so a new kind cannot be added without
 * being walked; the full-access user gets no 403 on the same samples, proving they reach real routes.
 */
class RouteAuthorizationCoverageTest {

    static final TestUser NOBODY = new TestUser("nobody", "AKIANOBODYNOBODY0001", "nobody-secret-0000000000000", null,
            List.of());

    @RegisterExtension
    static final LadingServer server = EcrTestSupport.server(List.of(EcrTestSupport.TESTER, NOBODY),
            "--auth.dataPlane=required", "--registry.createOnPush=true");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPO = "walk/app";
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static String blob;
    private static String manifest;
    private static String uploadId;

    private final TestHttp nobody = new TestHttp(server, NOBODY.accessKeyId(), NOBODY.secret());
    private final TestHttp tester = new TestHttp(server);

    /** One request: method, path with query, whether it carries a body. */
    private record Sample(String method, String path, boolean body) {
    }

    @BeforeAll
    static void image() {
        TestHttp http = new TestHttp(server);
        byte[] config = "{\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8);
        blob = TestHttp.sha256(config);
        assertEquals(201, http.send("POST", "/v2/" + REPO + "/blobs/uploads/?digest=" + blob, config, null).statusCode());
        byte[] m = ("{\"schemaVersion\":2,\"mediaType\":\"" + AuthzTestSupport.MANIFEST_TYPE + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + blob + "\",\"size\":"
                + config.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        manifest = TestHttp.sha256(m);
        assertEquals(201, http.send("PUT", "/v2/" + REPO + "/manifests/latest", m, AuthzTestSupport.MANIFEST_TYPE)
                .statusCode());
        HttpResponse<byte[]> start = http.send("POST", "/v2/" + REPO + "/blobs/uploads/", null, null);
        assertEquals(202, start.statusCode());
        String location = start.headers().firstValue("Location").orElseThrow();
        uploadId = location.substring(location.lastIndexOf('/') + 1).split("\\?")[0];
    }

    private static Map<V2Request, Sample> samples() {
        String r = "/v2/" + REPO;
        Map<V2Request, Sample> s = new EnumMap<>(V2Request.class);
        s.put(V2Request.BASE, new Sample("GET", "/v2/", false));
        s.put(V2Request.CATALOG, new Sample("GET", "/v2/_catalog", false));
        s.put(V2Request.TAGS_LIST, new Sample("GET", r + "/tags/list", false));
        s.put(V2Request.MANIFEST_GET, new Sample("GET", r + "/manifests/latest", false));
        s.put(V2Request.MANIFEST_HEAD, new Sample("HEAD", r + "/manifests/" + manifest, false));
        s.put(V2Request.MANIFEST_PUT, new Sample("PUT", r + "/manifests/other", true));
        s.put(V2Request.MANIFEST_DELETE, new Sample("DELETE", r + "/manifests/" + manifest, false));
        s.put(V2Request.BLOB_GET, new Sample("GET", r + "/blobs/" + blob, false));
        s.put(V2Request.BLOB_HEAD, new Sample("HEAD", r + "/blobs/" + blob, false));
        s.put(V2Request.BLOB_DELETE, new Sample("DELETE", r + "/blobs/" + blob, false));
        s.put(V2Request.UPLOAD_START, new Sample("POST", r + "/blobs/uploads/", false));
        s.put(V2Request.UPLOAD_MONOLITHIC, new Sample("POST", r + "/blobs/uploads/?digest=" + blob, true));
        s.put(V2Request.BLOB_MOUNT, new Sample("POST", r + "/blobs/uploads/?mount=" + blob + "&from=" + REPO, false));
        s.put(V2Request.UPLOAD_STATUS, new Sample("GET", r + "/blobs/uploads/" + uploadId, false));
        s.put(V2Request.UPLOAD_CHUNK, new Sample("PATCH", r + "/blobs/uploads/" + uploadId, true));
        s.put(V2Request.UPLOAD_COMPLETE, new Sample("PUT", r + "/blobs/uploads/" + uploadId + "?digest=" + blob, false));
        s.put(V2Request.UPLOAD_COMPLETE_WITH_DATA, new Sample("PUT", r + "/blobs/uploads/" + uploadId + "?digest="
                + blob, true));
        s.put(V2Request.UPLOAD_CANCEL, new Sample("DELETE", r + "/blobs/uploads/" + uploadId, false));
        s.put(V2Request.REFERRERS, new Sample("GET", r + "/referrers/" + manifest, false));
        return s;
    }

    private static HttpResponse<byte[]> send(TestHttp as, String method, String path, boolean body) {
        return as.send(method, path, body ? "{}".getBytes(StandardCharsets.UTF_8) : null,
                body ? AuthzTestSupport.MANIFEST_TYPE : null);
    }

    private static String code(HttpResponse<byte[]> r) {
        try {
            JsonNode errors = JSON.readTree(r.body()).get("errors");
            return errors == null ? null : errors.get(0).get("code").asText();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Test
    void everyKindHasASampleAndEachIsDecidedBeforeItsHandler() {
        Map<V2Request, Sample> samples = samples();
        assertEquals(List.of(V2Request.values()), new ArrayList<>(samples.keySet()), "a sample per request kind");
        for (Map.Entry<V2Request, Sample> e : samples.entrySet()) {
            Sample s = e.getValue();
            HttpResponse<byte[]> r = send(nobody, s.method(), s.path(), s.body());
            String what = e.getKey() + " " + s.method() + " " + s.path() + " -> " + r.statusCode() + " "
                    + new String(r.body(), StandardCharsets.UTF_8);
            switch (e.getKey()) {
                case BASE -> assertEquals(200, r.statusCode(), what);
                case CATALOG -> assertEquals("{\"repositories\":[]}", new String(r.body(), StandardCharsets.UTF_8), what);
                default -> {
                    if (RegistryApiActions.isSupported(e.getKey())) {
                        assertEquals(403, r.statusCode(), what);
                        if (!"HEAD".equals(s.method())) {
                            assertEquals("DENIED", code(r), what);
                        }
                    } else {
                        assertEquals(405, r.statusCode(), what);
                    }
                }
            }
        }
        // the samples are real requests: the operator is not refused on any of them (read-only ones only,
        // so the image stays for the walk)
        for (V2Request kind : List.of(V2Request.TAGS_LIST, V2Request.MANIFEST_GET, V2Request.MANIFEST_HEAD,
                V2Request.BLOB_GET, V2Request.BLOB_HEAD, V2Request.UPLOAD_STATUS, V2Request.REFERRERS)) {
            Sample s = samples.get(kind);
            HttpResponse<byte[]> r = send(tester, s.method(), s.path(), s.body());
            assertTrue(r.statusCode() < 300, kind + " as the operator -> " + r.statusCode());
        }
    }

    @Test
    void everyMethodOfEveryV2PathIsDecidedOrRefused() {
        for (Sample path : samples().values()) {
            for (String method : METHODS) {
                for (boolean body : new boolean[] {false, true}) {
                    if (body && (method.equals("GET") || method.equals("HEAD"))) {
                        continue;
                    }
                    HttpResponse<byte[]> r = send(nobody, method, path.path(), body);
                    String what = method + " " + path.path() + (body ? " with a body" : "") + " -> " + r.statusCode()
                            + " " + new String(r.body(), StandardCharsets.UTF_8);
                    boolean base = path.path().equals("/v2/");
                    boolean catalog = path.path().equals("/v2/_catalog");
                    if (base && (method.equals("GET") || method.equals("HEAD")) || catalog && method.equals("GET")) {
                        assertEquals(200, r.statusCode(), what);
                    } else {
                        assertTrue(r.statusCode() == 403 || r.statusCode() == 405, what);
                    }
                }
            }
        }
    }

    @Test
    void everyAdminEndpointAndMethodNeedsAnOperator() {
        List<String> names = new ArrayList<>();
        for (AdminEndpoint e : server.lading().adminEndpoints()) {
            names.add(e.name());
        }
        assertTrue(names.containsAll(List.of("gc", "expire", "metrics")), names.toString());
        names.add("no-such-endpoint");
        for (String name : names) {
            for (String method : METHODS) {
                HttpResponse<byte[]> r = nobody.send(method, "/_lading/" + name + "?dryRun=true", null, null);
                assertEquals(403, r.statusCode(), method + " /_lading/" + name);
            }
        }
    }
}
