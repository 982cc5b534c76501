package io.lading.auth.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.core.error.RegistryException.AuthenticationFailed;
import io.lading.core.error.RegistryException.AuthenticationFailed.Kind;
import io.lading.core.identity.Principal;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of AWS's signing test suite (header form): the signed request verifies at the case's
 * timestamp, and changing any signed part of it makes the signature mismatch.
 */
class SigV4VectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The number of cases in the vendored suite: a lost folder fails the run instead of shrinking it. */
    private static final int CASES = 38;

    @TestFactory
    Stream<DynamicNode> everyVector() throws IOException, URISyntaxException {
        Path vectors = vectors();
        List<DynamicNode> cases = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(vectors)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                cases.add(vector(dir));
            }
        }
        assertEquals(CASES, cases.size(), "vector folders in " + vectors);
        return cases.stream();
    }

    /** The suite vendored in this module's test resources ({@code sigv4/}, with its LICENSE and NOTICE). */
    private static Path vectors() throws URISyntaxException {
        URL notice = SigV4VectorTest.class.getResource("/sigv4/NOTICE");
        assertNotNull(notice, "the SigV4 vectors are missing from the test resources (src/test/resources/sigv4)");
        return Path.of(notice.toURI()).getParent();
    }

    private static DynamicNode vector(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        JsonNode context = JSON.readTree(dir.resolve("context.json").toFile());
        SignedRequest request = VectorRequest.parse(
                Files.readString(dir.resolve("header-signed-request.txt"), StandardCharsets.UTF_8));
        String expectedCanonical = Files.readString(dir.resolve("header-canonical-request.txt"), StandardCharsets.UTF_8);
        boolean normalize = context.path("normalize").asBoolean(true);
        SigV4Verifier verifier = verifier(context, normalize);

        List<DynamicTest> tests = new ArrayList<>();
        tests.add(dynamicTest(name + ": canonical request matches the suite's", () -> {
            AuthorizationHeader auth = AuthorizationHeader.parse(request.values("authorization").get(0));
            assertEquals(expectedCanonical, CanonicalRequest.of(request, auth, normalize, true));
        }));
        if (!request.values("x-amz-security-token").isEmpty()) {
            // temporary credentials: Lading issues no session tokens, so it refuses every one; a token
            // outside the signature is refused before that, as any unsigned X-Amz-* header is
            boolean signed = AuthorizationHeader.parse(request.values("authorization").get(0))
                    .signs("x-amz-security-token");
            tests.add(dynamicTest(name + ": refused, " + (signed ? "token not issued here" : "token not signed"), () -> {
                AuthenticationFailed failure = assertThrows(AuthenticationFailed.class, () -> verifier.verify(request));
                assertEquals(signed ? Kind.UNKNOWN_CREDENTIAL : Kind.SIGNATURE_MISMATCH, failure.kind(),
                        failure.getMessage());
            }));
            return dynamicContainer(name, tests);
        }
        tests.add(dynamicTest(name + ": signed request verifies", () -> {
            Principal principal = verifier.verify(request);
            assertEquals(context.path("credentials").path("access_key_id").asText(), principal.accessKeyId());
        }));
        AuthorizationHeader auth = AuthorizationHeader.parse(request.values("authorization").get(0));
        for (String header : auth.signedHeaderNames()) {
            UnaryOperator<String> change = header.equals("x-amz-date") ? SigV4VectorTest::nextSecond : v -> v + "x";
            tests.add(mismatch(name + ": changed signed header " + header, verifier,
                    withHeader(request, header, change)));
        }
        tests.add(mismatch(name + ": changed body", verifier, new SignedRequest(request.method(), request.rawPath(),
                request.rawQuery(), request.headers(), VectorRequest.sha256Hex("tampered"))));
        tests.add(mismatch(name + ": changed path", verifier, new SignedRequest(request.method(),
                request.rawPath() + "x", request.rawQuery(), request.headers(), request.payloadHash())));
        tests.add(mismatch(name + ": changed query", verifier, new SignedRequest(request.method(), request.rawPath(),
                request.rawQuery().isEmpty() ? "extra=1" : request.rawQuery() + "x", request.headers(),
                request.payloadHash())));
        tests.add(mismatch(name + ": changed method", verifier, new SignedRequest(
                request.method().equals("GET") ? "POST" : "GET", request.rawPath(), request.rawQuery(),
                request.headers(), request.payloadHash())));
        tests.add(mismatch(name + ": changed last signature digit", verifier,
                withHeader(request, "authorization", SigV4VectorTest::flipLastDigit)));
        return dynamicContainer(name, tests);
    }

    private static SigV4Verifier verifier(JsonNode context, boolean normalize) {
        JsonNode credentials = context.path("credentials");
        String accessKeyId = credentials.path("access_key_id").asText();
        Credential credential = new Credential(accessKeyId, credentials.path("secret_access_key").asText(),
                Principal.user("123456789012", "vector", accessKeyId));
        CredentialLookup lookup = id -> id.equals(accessKeyId) ? Optional.of(credential) : Optional.empty();
        Clock clock = Clock.fixed(Instant.parse(context.path("timestamp").asText()), ZoneOffset.UTC);
        return new SigV4Verifier(lookup, context.path("region").asText(), context.path("service").asText(), clock,
                Duration.ofMinutes(15), normalize);
    }

    private static DynamicTest mismatch(String name, SigV4Verifier verifier, SignedRequest changed) {
        return dynamicTest(name + " -> SIGNATURE_MISMATCH", () -> {
            AuthenticationFailed failure = assertThrows(AuthenticationFailed.class, () -> verifier.verify(changed));
            assertEquals(Kind.SIGNATURE_MISMATCH, failure.kind(), failure.getMessage());
        });
    }

    /** The request with the first header called {@code name} changed. */
    private static SignedRequest withHeader(SignedRequest request, String name, UnaryOperator<String> change) {
        List<SignedRequest.Header> headers = new ArrayList<>();
        boolean changed = false;
        for (SignedRequest.Header header : request.headers()) {
            if (!changed && header.name().equalsIgnoreCase(name)) {
                headers.add(new SignedRequest.Header(header.name(), change.apply(header.value())));
                changed = true;
            } else {
                headers.add(header);
            }
        }
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers,
                request.payloadHash());
    }

    /** Same day, same skew window, different string to sign. */
    private static String nextSecond(String amzDate) {
        char digit = amzDate.charAt(amzDate.length() - 2);
        char next = digit == '9' ? '0' : (char) (digit + 1);
        return amzDate.substring(0, amzDate.length() - 2) + next + "Z";
    }

    private static String flipLastDigit(String authorization) {
        char last = authorization.charAt(authorization.length() - 1);
        return authorization.substring(0, authorization.length() - 1) + (last == '0' ? '1' : '0');
    }
}
