package io.lading.http.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.ecr.EcrTestSupport.TestUser;
import io.lading.http.testing.LadingServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;

/**
 * The per-caller rate limit with authentication on (1 request per second, bursts of 5): a caller past
 * its burst gets {@code 429 TOOMANYREQUESTS} with {@code Retry-After} on /v2 and
 * {@code ThrottlingException} through the AWS SDK, while another caller is served at the same moment,
 * and requests with a forged secret never spend the key owner's requests.
 */
class RateLimitTest {

    private static final List<String> FULL = List.of("AmazonEC2ContainerRegistryFullAccess");
    private static final TestUser ALICE = new TestUser("alice", "AKIAALICE00000000001", "alice-secret-000000000000", null, FULL);
    private static final TestUser BOB = new TestUser("bob", "AKIABOB0000000000001", "bob-secret-00000000000000", null, FULL);
    private static final TestUser CAROL = new TestUser("carol", "AKIACAROL00000000001", "carol-secret-000000000000", null, FULL);
    private static final TestUser DAVE = new TestUser("dave", "AKIADAVE000000000001", "dave-secret-0000000000000", null, FULL);

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server(List.of(ALICE, BOB, CAROL, DAVE),
            "--server.requestsPerSecond=1", "--server.requestBurst=5");

    /** Sends up to 30 requests as {@code user}; the first one refused, or null if none was. */
    private static HttpResponse<String> firstRefused(TestUser user) throws Exception {
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = AuthzTestSupport.v2(server, user, "GET", "/v2/", null);
            if (r.statusCode() != 200) {
                return r;
            }
        }
        return null;
    }

    @Test
    void aCallerPastItsBurstGets429WithRetryAfterWhileAnotherIsServed() throws Exception {
        HttpResponse<String> refused = firstRefused(ALICE);
        assertNotNull(refused, "30 requests at once were never throttled");
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"code\":\"TOOMANYREQUESTS\""), refused.body());
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
        assertEquals(200, AuthzTestSupport.v2(server, BOB, "GET", "/v2/", null).statusCode());
    }

    @Test
    void theAwsSdkGetsThrottlingException() {
        try (EcrClient ecr = EcrClient.builder()
                .endpointOverride(URI.create("http://" + server.hostPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(CAROL.accessKeyId(), CAROL.secret())))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
                .build()) {
            EcrException throttled = null;
            for (int i = 0; i < 30 && throttled == null; i++) {
                try {
                    ecr.describeRepositories();
                } catch (EcrException e) {
                    throttled = e;
                }
            }
            assertNotNull(throttled, "30 calls at once were never throttled");
            assertEquals("ThrottlingException", throttled.awsErrorDetails().errorCode(), throttled.getMessage());
            assertEquals(400, throttled.statusCode());
        }
    }

    @Test
    void forgedRequestsDoNotSpendTheKeyOwnersRequests() throws Exception {
        TestUser forger = new TestUser("dave", DAVE.accessKeyId(), "not-daves-secret", null, FULL);
        for (int i = 0; i < 30; i++) {
            assertEquals(401, AuthzTestSupport.v2(server, forger, "GET", "/v2/", null).statusCode());
        }
        assertEquals(200, AuthzTestSupport.v2(server, DAVE, "GET", "/v2/", null).statusCode());
        assertEquals(200, AuthzTestSupport.v2(server, DAVE, "GET", "/v2/", null).statusCode());
    }
}
