package io.lading.http.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;

/** An expired registry password is refused with 403 DENIED and ECR's message; anonymous pulls when enabled. */
class OciTokenExpiryTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server("--auth.dataPlane=anonymousPull", "--auth.tokenLifetime=PT2S");

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String method, String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + server.hostPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void expiredPasswordIsDenied() throws Exception {
        String token;
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            token = ecr.getAuthorizationToken().authorizationData().get(0).authorizationToken();
        }
        String auth = "Basic " + token; // the authorizationToken is already base64("AWS:<password>")
        assertEquals(200, get("GET", "/v2/", auth).statusCode());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        HttpResponse<String> r;
        do {
            // the token lives 2 s; the data plane caches a verified header no longer than its expiry
            r = get("GET", "/v2/_catalog", auth);
        } while (r.statusCode() == 200 && Instant.now().isBefore(deadline));
        assertEquals(403, r.statusCode());
        var error = new ObjectMapper().readTree(r.body()).get("errors").get(0);
        assertEquals("DENIED", error.get("code").asText());
        assertEquals("Your authorization token has expired. Reauthenticate and try again.", error.get("message").asText());
    }

    @Test
    void anonymousPullAllowsReadsButNotPushes() throws Exception {
        assertEquals(200, get("GET", "/v2/", null).statusCode());
        assertEquals(404, get("GET", "/v2/nothing/here/tags/list", null).statusCode());
        assertEquals(401, get("POST", "/v2/anon/push/blobs/uploads/", null).statusCode());
    }
}
