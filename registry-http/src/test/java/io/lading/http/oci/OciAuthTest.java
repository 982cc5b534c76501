package io.lading.http.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;

/** The /v2 data plane with authentication required (ecr-behaviour.md 3.3, 3.4, 3.6). */
class OciAuthTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server("--auth.dataPlane=required");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + server.hostPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String tokenPassword() {
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            String token = ecr.getAuthorizationToken().authorizationData().get(0).authorizationToken();
            return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).substring(4);
        }
    }

    @Test
    void everyEndpointChallengesAnUnauthenticatedRequest() throws Exception {
        List<String[]> calls = List.of(
                new String[] {"GET", "/v2/"},
                new String[] {"GET", "/v2/_catalog"},
                new String[] {"GET", "/v2/a/b/tags/list"},
                new String[] {"GET", "/v2/a/b/manifests/latest"},
                new String[] {"HEAD", "/v2/a/b/manifests/latest"},
                new String[] {"GET", "/v2/a/b/blobs/" + DIGEST},
                new String[] {"POST", "/v2/a/b/blobs/uploads/"},
                new String[] {"GET", "/v2/a/b/referrers/" + DIGEST});
        for (String[] c : calls) {
            var r = send(c[0], c[1], null);
            assertEquals(401, r.statusCode(), c[0] + " " + c[1]);
            String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
            assertTrue(challenge.startsWith("Basic realm="), challenge);
            assertEquals("registry/2.0", r.headers().firstValue("Docker-Distribution-API-Version").orElseThrow());
        }
    }

    @Test
    void acceptsStaticAccessKeyCredentials() throws Exception {
        var r = send("GET", "/v2/", basic(EcrTestSupport.ACCESS_KEY, EcrTestSupport.SECRET));
        assertEquals(200, r.statusCode());
        assertEquals(401, send("GET", "/v2/", basic(EcrTestSupport.ACCESS_KEY, "wrong-secret")).statusCode());
    }

    @Test
    void acceptsARegistryPasswordAndPushesWithIt() throws Exception {
        String auth = basic("AWS", tokenPassword());
        assertEquals(200, send("GET", "/v2/", auth).statusCode());
        var started = send("POST", "/v2/auth/push/blobs/uploads/", auth);
        assertEquals(202, started.statusCode(), started.body());
    }

    @Test
    void refusesAForgedRegistryPasswordWithDenied() throws Exception {
        String password = tokenPassword();
        char last = password.charAt(password.length() - 1);
        String forged = password.substring(0, password.length() - 1) + (last == 'A' ? 'B' : 'A');
        var r = send("GET", "/v2/_catalog", basic("AWS", forged));
        assertEquals(403, r.statusCode());
        JsonNode error = JSON.readTree(r.body()).get("errors").get(0);
        assertEquals("DENIED", error.get("code").asText());
        assertEquals("Your authorization token is invalid.", error.get("message").asText());
    }

    @Test
    void refusesMalformedCredentialsWithUnauthorized() throws Exception {
        assertEquals(401, send("GET", "/v2/", "Basic !!!notbase64").statusCode());
        assertEquals(401, send("GET", "/v2/", "Bearer abc").statusCode());
        var r = send("GET", "/v2/_catalog", basic("nobody", "nothing"));
        assertEquals(401, r.statusCode());
        assertEquals("UNAUTHORIZED", JSON.readTree(r.body()).get("errors").get(0).get("code").asText());
    }
}
