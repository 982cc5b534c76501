package io.lading.http.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.http.testing.LadingServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * SigV4 refusals on the control plane, with requests signed by the AWS SDK's own signer and then
 * altered: a tampered body, a request signed 16 minutes ago, an unsigned X-Amz-Target, a wrong secret.
 */
class EcrSignatureTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server();

    private static final String TARGET = "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories";
    private final HttpClient http = HttpClient.newHttpClient();

    private SdkHttpRequest sign(String body, boolean signTarget, Instant at, String secret) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://" + server.hostPort() + "/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1");
        if (signTarget) {
            unsigned.putHeader("X-Amz-Target", TARGET);
        }
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(EcrTestSupport.ACCESS_KEY, secret))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecr")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4FamilyHttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
        return signed.request();
    }

    private HttpResponse<String> send(SdkHttpRequest signed, String body, String... extraHeaders) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(signed.getUri())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < extraHeaders.length; i += 2) {
            b.header(extraHeaders[i], extraHeaders[i + 1]);
        }
        for (Map.Entry<String, java.util.List<String>> h : signed.headers().entrySet()) {
            String name = h.getKey();
            if (name.equalsIgnoreCase("host") || name.equalsIgnoreCase("content-length")) {
                continue;
            }
            h.getValue().forEach(v -> b.header(name, v));
        }
        if (!signed.headers().containsKey("X-Amz-Target")) {
            b.header("X-Amz-Target", TARGET);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String errorType(HttpResponse<String> r) throws Exception {
        JsonNode n = EcrJson.MAPPER.readTree(r.body());
        assertEquals(n.get("__type").asText(), r.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        return n.get("__type").asText();
    }

    @Test
    void acceptsACorrectlySignedRequest() throws Exception {
        var r = send(sign("{}", true, Instant.now(), EcrTestSupport.SECRET), "{}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("repositories"));
        assertTrue(r.headers().firstValue("x-amzn-RequestId").isPresent());
    }

    @Test
    void refusesATamperedBody() throws Exception {
        var r = send(sign("{}", true, Instant.now(), EcrTestSupport.SECRET), "{\"maxResults\":5}");
        assertEquals(400, r.statusCode());
        assertEquals("InvalidSignatureException", errorType(r));
    }

    @Test
    void refusesARequestSignedSixteenMinutesAgo() throws Exception {
        var r = send(sign("{}", true, Instant.now().minus(Duration.ofMinutes(16)), EcrTestSupport.SECRET), "{}");
        assertEquals(400, r.statusCode());
        assertEquals("InvalidSignatureException", errorType(r));
        assertTrue(r.body().contains("Signature expired"), r.body());
    }

    @Test
    void refusesAnUnsignedTargetHeader() throws Exception {
        var r = send(sign("{}", false, Instant.now(), EcrTestSupport.SECRET), "{}");
        assertEquals(400, r.statusCode());
        String type = errorType(r);
        assertTrue(type.equals("InvalidSignatureException") || type.equals("IncompleteSignatureException"), type);
    }

    @Test
    void refusesAnXAmzHeaderAddedAfterSigning() throws Exception {
        for (String header : new String[] {"X-Amz-Security-Token", "X-Amz-Expires", "X-Amz-Meta"}) {
            var r = send(sign("{}", true, Instant.now(), EcrTestSupport.SECRET), "{}", header, "added-on-the-way");
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("InvalidSignatureException", errorType(r));
            assertTrue(r.body().contains("'" + header + "' must be a 'SignedHeader' in the AWS Authorization."),
                    r.body());
        }
    }

    @Test
    void refusesASessionTokenLadingDidNotIssue() {
        // the SDK signs the token in, as it does for any temporary credentials
        try (EcrClient temporary = EcrClient.builder()
                .endpointOverride(URI.create("http://" + server.hostPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        EcrTestSupport.ACCESS_KEY, EcrTestSupport.SECRET, "FwoGZXIvYXdzEXAMPLEtokenFromSomeoneElse")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
            EcrException e = assertThrows(EcrException.class, temporary::describeRepositories);
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
            assertEquals("The security token included in the request is invalid.", e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void refusesAWrongSecret() throws Exception {
        var r = send(sign("{}", true, Instant.now(), "definitely-not-the-right-secret"), "{}");
        assertEquals(400, r.statusCode());
        assertEquals("InvalidSignatureException", errorType(r));
    }

    @Test
    void refusesAMissingAuthorizationHeader() throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://" + server.hostPort() + "/"))
                .header("X-Amz-Target", TARGET).header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertEquals("MissingAuthenticationTokenException", errorType(r));
    }

    @Test
    void answersUnknownOperationAndMalformedJson() throws Exception {
        SdkHttpRequest signed = sign("{}", true, Instant.now(), EcrTestSupport.SECRET);
        // a signed request for another target: rebuild with the unknown target signed in
        SdkHttpRequest unknown = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(EcrTestSupport.ACCESS_KEY, EcrTestSupport.SECRET))
                .request(signed.toBuilder().removeHeader("Authorization").removeHeader("X-Amz-Date")
                        .removeHeader("x-amz-content-sha256")
                        .putHeader("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.NoSuchThing").build())
                .payload(ContentStreamProvider.fromUtf8String("{}"))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecr")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
        var r = send(unknown, "{}");
        assertEquals("UnknownOperationException", errorType(r));
        var bad = send(sign("{not json", true, Instant.now(), EcrTestSupport.SECRET), "{not json");
        assertEquals("SerializationException", errorType(bad));
        new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)).close();
    }
}
