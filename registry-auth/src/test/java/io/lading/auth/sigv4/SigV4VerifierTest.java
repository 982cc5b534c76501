package io.lading.auth.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.error.RegistryException.AuthenticationFailed;
import io.lading.core.error.RegistryException.AuthenticationFailed.Kind;
import io.lading.core.identity.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The verification rules of ecr-api.md 2.8 on ECR-shaped requests. */
class SigV4VerifierTest {

    private static final String SIG = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Principal ALICE = Principal.user("123456789012", "alice", KEY_ID);
    private static final Instant NOW = Instant.parse("2025-03-14T12:00:00Z");
    private static final String DAY = "20250314";
    private static final String AMZ_DATE = "20250314T120000Z";
    private static final String TARGET = "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories";
    private static final String BODY = "{\"maxResults\":10}";
    private static final List<String> SIGNED = List.of("content-type", "host", "x-amz-date", "x-amz-target");

    private final CredentialLookup lookup =
            id -> Optional.ofNullable(Map.of(KEY_ID, new Credential(KEY_ID, SECRET, ALICE)).get(id));
    private final SigV4Verifier verifier = verifierAt(NOW);
    private final TestSigner signer = new TestSigner(KEY_ID, SECRET, "us-east-1", "ecr");

    @Test
    void acceptsSignedEcrRequest() {
        assertEquals(ALICE, verifier.verify(signed(ecrRequest(AMZ_DATE))));
    }

    @Test
    void rejectsRequestWithoutAuthorizationHeader() {
        AuthenticationFailed failure = fails(ecrRequest(AMZ_DATE));
        assertEquals(Kind.MISSING, failure.kind());
        assertEquals("Missing Authentication Token", failure.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250314/us-east-1/ecr/aws4_request,"
                + " SignedHeaders=host;x-amz-date",
        "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=" + SIG,
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250314/us-east-1/ecr/aws4_request, Signature="
                + SIG,
        "AWS4-HMAC-SHA256",
        "AWS4-HMAC-SHA256 ",
        "AWS4-HMAC-SHA256 garbage",
        "AWS4-HMAC-SHA256Credential=AKIAIOSFODNN7EXAMPLE/20250314/us-east-1/ecr/aws4_request",
        "Basic QVdTOnBhc3N3b3Jk",
        "AWS AKIAIOSFODNN7EXAMPLE:signature",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250314/us-east-1/ecr, SignedHeaders=host;x-amz-date,"
                + " Signature=" + SIG,
        "AWS4-HMAC-SHA256 Credential=/20250314/us-east-1/ecr/aws4_request, SignedHeaders=host;x-amz-date,"
                + " Signature=" + SIG,
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2025-03-14/us-east-1/ecr/aws4_request,"
                + " SignedHeaders=host;x-amz-date, Signature=" + SIG,
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250314/us-east-1/ecr/aws4_request,"
                + " SignedHeaders=host;x-amz-date, Signature=xyz",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250314/us-east-1/ecr/aws4_request,"
                + " SignedHeaders=host;;x-amz-date, Signature=" + SIG,
        ""
    })
    void rejectsMalformedAuthorizationHeader(String authorization) {
        AuthenticationFailed failure = fails(withHeader(ecrRequest(AMZ_DATE), "Authorization", authorization));
        assertEquals(Kind.MALFORMED, failure.kind(), failure.getMessage());
    }

    @Test
    void namesTheMissingComponent() {
        AuthenticationFailed failure = fails(withHeader(ecrRequest(AMZ_DATE), "Authorization",
                "AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/" + DAY + "/us-east-1/ecr/aws4_request, SignedHeaders=host"));
        assertEquals("Authorization header requires 'Signature' parameter.", failure.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {",", ", ", ",   ", " ,", "\t,\t"})
    void toleratesSpacingAroundComponents(String separator) {
        SignedRequest request = signed(ecrRequest(AMZ_DATE));
        String authorization = request.values("Authorization").get(0);
        String respaced = authorization.replace(", ", separator).replace("AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256   ");
        assertEquals(ALICE, verifier.verify(replaceHeader(request, "Authorization", respaced)));
    }

    @Test
    void rejectsUnknownAccessKey() {
        TestSigner stranger = new TestSigner("AKIAUNKNOWNKEY000000", SECRET, "us-east-1", "ecr");
        AuthenticationFailed failure = fails(stranger.sign(ecrRequest(AMZ_DATE), DAY, AMZ_DATE, SIGNED));
        assertEquals(Kind.UNKNOWN_CREDENTIAL, failure.kind());
        assertEquals("The security token included in the request is invalid.", failure.getMessage());
    }

    @Test
    void rejectsWrongSecret() {
        TestSigner wrong = new TestSigner(KEY_ID, SECRET + "x", "us-east-1", "ecr");
        AuthenticationFailed failure = fails(wrong.sign(ecrRequest(AMZ_DATE), DAY, AMZ_DATE, SIGNED));
        assertEquals(Kind.SIGNATURE_MISMATCH, failure.kind());
        assertTrue(failure.getMessage().startsWith(
                "The request signature we calculated does not match the signature you provided."
                        + " Check your AWS Secret Access Key and signing method."), failure.getMessage());
    }

    @Test
    void rejectsScopeForAnotherRegion() {
        TestSigner elsewhere = new TestSigner(KEY_ID, SECRET, "eu-west-1", "ecr");
        AuthenticationFailed failure = fails(elsewhere.sign(ecrRequest(AMZ_DATE), DAY, AMZ_DATE, SIGNED));
        assertEquals(Kind.SIGNATURE_MISMATCH, failure.kind());
        assertTrue(failure.getMessage().contains("'eu-west-1'"), failure.getMessage());
    }

    @Test
    void rejectsScopeForAnotherService() {
        TestSigner s3 = new TestSigner(KEY_ID, SECRET, "us-east-1", "s3");
        AuthenticationFailed failure = fails(s3.sign(ecrRequest(AMZ_DATE), DAY, AMZ_DATE, SIGNED));
        assertEquals(Kind.SIGNATURE_MISMATCH, failure.kind());
        assertEquals("Credential should be scoped to correct service: 'ecr'.", failure.getMessage());
    }

    @Test
    void rejectsScopeWithWrongTerminator() {
        SignedRequest request = signed(ecrRequest(AMZ_DATE));
        String authorization = request.values("Authorization").get(0).replace("aws4_request", "aws4_reqest");
        assertEquals(Kind.SIGNATURE_MISMATCH, fails(replaceHeader(request, "Authorization", authorization)).kind());
    }

    @Test
    void rejectsRequestSignedSixteenMinutesAgo() {
        SigV4Verifier later = verifierAt(NOW.plus(Duration.ofMinutes(16)));
        AuthenticationFailed failure = assertThrows(AuthenticationFailed.class,
                () -> later.verify(signed(ecrRequest(AMZ_DATE))));
        assertEquals(Kind.SIGNATURE_EXPIRED, failure.kind());
        assertEquals("Signature expired: 20250314T120000Z is now earlier than 20250314T120100Z"
                + " (20250314T121600Z - 15 min.)", failure.getMessage());
    }

    @Test
    void rejectsRequestSignedSixteenMinutesAhead() {
        SigV4Verifier earlier = verifierAt(NOW.minus(Duration.ofMinutes(16)));
        AuthenticationFailed failure = assertThrows(AuthenticationFailed.class,
                () -> earlier.verify(signed(ecrRequest(AMZ_DATE))));
        assertEquals(Kind.SIGNATURE_EXPIRED, failure.kind());
        assertEquals("Signature not yet current: 20250314T120000Z is still later than 20250314T115900Z"
                + " (20250314T114400Z + 15 min.)", failure.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {-14, -1, 0, 1, 14})
    void acceptsRequestWithinSkewWindow(int minutes) {
        SigV4Verifier skewed = verifierAt(NOW.plus(Duration.ofMinutes(minutes)));
        assertEquals(ALICE, skewed.verify(signed(ecrRequest(AMZ_DATE))));
    }

    @Test
    void rejectsScopeDateOtherThanRequestDate() {
        SignedRequest request = signer.sign(ecrRequest(AMZ_DATE), "20250313", AMZ_DATE, SIGNED);
        AuthenticationFailed failure = fails(request);
        assertEquals(Kind.SIGNATURE_MISMATCH, failure.kind());
        assertTrue(failure.getMessage().contains("'20250313' != '20250314'"), failure.getMessage());
    }

    @Test
    void rejectsUnparseableRequestDate() {
        SignedRequest request = signed(ecrRequest("2025-03-14T12:00:00Z"));
        assertEquals(Kind.MALFORMED, fails(request).kind());
    }

    @Test
    void rejectsRequestWithoutAnyDate() {
        SignedRequest request = signer.sign(without(ecrRequest(AMZ_DATE), "X-Amz-Date"), DAY, AMZ_DATE,
                List.of("content-type", "host", "x-amz-target"));
        assertEquals(Kind.MALFORMED, fails(request).kind());
    }

    @Test
    void acceptsDateHeaderInsteadOfAmzDate() {
        SignedRequest unsigned = withHeader(without(ecrRequest(AMZ_DATE), "X-Amz-Date"), "Date",
                "Fri, 14 Mar 2025 12:00:00 GMT");
        SignedRequest request = signer.sign(unsigned, DAY, AMZ_DATE, List.of("content-type", "date", "host", "x-amz-target"));
        assertEquals(ALICE, verifier.verify(request));
    }

    @Test
    void rejectsUnsignedTarget() {
        AuthenticationFailed failure = fails(signer.sign(ecrRequest(AMZ_DATE), DAY, AMZ_DATE,
                List.of("content-type", "host", "x-amz-date")));
        assertEquals(Kind.SIGNATURE_MISMATCH, failure.kind());
        assertEquals("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.", failure.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Amz-Security-Token", "x-amz-content-sha256", "X-Amz-User-Agent", "X-AMZ-Anything"})
    void rejectsAnXAmzHeaderOutsideTheSignature(String name) {
        // signed as the client sent it, then a header added on the way
        SignedRequest tampered = withHeader(signed(ecrRequest(AMZ_DATE)), name, "added later");
        AuthenticationFailed failure = fails(tampered);
        assertEquals(Kind.SIGNATURE_MISMATCH, failure.kind());
        assertTrue(failure.getMessage().matches("'X-Amz-[A-Za-z0-9-]+' must be a 'SignedHeader' in the AWS Authorization\\."),
                failure.getMessage());
        assertTrue(failure.getMessage().equalsIgnoreCase("'" + name + "' must be a 'SignedHeader' in the AWS Authorization."),
                failure.getMessage());
    }

    @Test
    void aSignedSessionTokenIsRefusedBecauseLadingIssuesNone() {
        SignedRequest withToken = withHeader(ecrRequest(AMZ_DATE), "X-Amz-Security-Token", "FwoGZXIvYXdzEXAMPLE");
        List<String> signedHeaders = new ArrayList<>(SIGNED);
        signedHeaders.add("x-amz-security-token");
        AuthenticationFailed failure = fails(signer.sign(withToken, DAY, AMZ_DATE, signedHeaders));
        assertEquals(Kind.UNKNOWN_CREDENTIAL, failure.kind());
        assertEquals("The security token included in the request is invalid.", failure.getMessage());
    }

    @Test
    void headersOtherThanXAmzMayStayUnsigned() {
        SignedRequest request = withHeader(withHeader(signed(ecrRequest(AMZ_DATE)), "User-Agent", "aws-cli/2"),
                "X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793");
        assertEquals(ALICE, verifier.verify(request));
    }

    @Test
    void rejectsUnsignedHost() {
        AuthenticationFailed failure = fails(signer.sign(ecrRequest(AMZ_DATE), DAY, AMZ_DATE,
                List.of("content-type", "x-amz-date", "x-amz-target")));
        assertEquals(Kind.SIGNATURE_MISMATCH, failure.kind());
        assertTrue(failure.getMessage().contains("'Host'"), failure.getMessage());
    }

    @Test
    void rejectsUnsignedAmzDate() {
        AuthenticationFailed failure = fails(signer.sign(ecrRequest(AMZ_DATE), DAY, AMZ_DATE,
                List.of("content-type", "host", "x-amz-target")));
        assertEquals(Kind.SIGNATURE_MISMATCH, failure.kind());
        assertTrue(failure.getMessage().contains("'X-Amz-Date'"), failure.getMessage());
    }

    @Test
    void rejectsContentHashOtherThanBodyHash() {
        SignedRequest unsigned = withHeader(ecrRequest(AMZ_DATE), "X-Amz-Content-Sha256", VectorRequest.sha256Hex("{}"));
        SignedRequest request = signer.sign(unsigned, DAY, AMZ_DATE,
                List.of("content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-target"));
        AuthenticationFailed failure = fails(request);
        assertEquals(Kind.SIGNATURE_MISMATCH, failure.kind());
        assertTrue(failure.getMessage().contains("x-amz-content-sha256"), failure.getMessage());
    }

    @Test
    void acceptsContentHashEqualToBodyHash() {
        SignedRequest unsigned = withHeader(ecrRequest(AMZ_DATE), "X-Amz-Content-Sha256",
                VectorRequest.sha256Hex(BODY).toUpperCase());
        SignedRequest request = signer.sign(unsigned, DAY, AMZ_DATE,
                List.of("content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-target"));
        assertEquals(ALICE, verifier.verify(request));
    }

    @Test
    void rejectsChangedBody() {
        SignedRequest request = signed(ecrRequest(AMZ_DATE));
        SignedRequest changed = new SignedRequest(request.method(), request.rawPath(), request.rawQuery(),
                request.headers(), VectorRequest.sha256Hex("{\"maxResults\":11}"));
        assertEquals(Kind.SIGNATURE_MISMATCH, fails(changed).kind());
    }

    @Test
    void rejectsTwoAuthorizationHeaders() {
        SignedRequest request = signed(ecrRequest(AMZ_DATE));
        SignedRequest twice = withHeader(request, "authorization", request.values("Authorization").get(0));
        assertEquals(Kind.MALFORMED, fails(twice).kind());
    }

    @Test
    void acceptsUpperCaseSignatureHex() {
        SignedRequest request = signed(ecrRequest(AMZ_DATE));
        String authorization = request.values("Authorization").get(0);
        int at = authorization.indexOf("Signature=") + "Signature=".length();
        String upper = authorization.substring(0, at) + authorization.substring(at).toUpperCase();
        assertEquals(ALICE, verifier.verify(replaceHeader(request, "Authorization", upper)));
    }

    @Test
    void signsEncodedPathEncodedOnceMore() {
        SignedRequest unsigned = new SignedRequest("GET", "/v2/a%20b/tags/list", "n=10&last=x%2Fy", ecrHeaders(AMZ_DATE),
                SignedRequest.EMPTY_PAYLOAD_HASH);
        AuthorizationHeader auth = AuthorizationHeader.parse(signer.authorization(DAY, SIGNED, "0".repeat(64)));
        String canonical = CanonicalRequest.of(unsigned, auth, true, true);
        assertTrue(canonical.startsWith("GET\n/v2/a%2520b/tags/list\nlast=x%2Fy&n=10\n"), canonical);
        assertEquals(ALICE, verifier.verify(signer.sign(unsigned, DAY, AMZ_DATE, SIGNED)));
    }

    @Test
    void reusesDerivedSigningKey() {
        SignedRequest request = signed(ecrRequest(AMZ_DATE));
        SigningKeyCache cache = new SigningKeyCache(2);
        byte[] first = cache.signingKey(SECRET, DAY, "us-east-1", "ecr");
        assertTrue(first == cache.signingKey(SECRET, DAY, "us-east-1", "ecr"));
        cache.signingKey(SECRET, "20250315", "us-east-1", "ecr");
        cache.signingKey(SECRET, "20250316", "us-east-1", "ecr");
        assertEquals(2, cache.size());
        for (int i = 0; i < 1000; i++) {
            verifier.verify(request);
        }
    }

    private SigV4Verifier verifierAt(Instant now) {
        return new SigV4Verifier(lookup, "us-east-1", "ecr", Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(15),
                true);
    }

    /**
     * Asserts that verification fails, and that the head-only precheck either fails the same way or (for
     * failures only the body or the signature can show) passes.
     */
    private AuthenticationFailed fails(SignedRequest request) {
        AuthenticationFailed failure = assertThrows(AuthenticationFailed.class, () -> verifier.verify(request));
        try {
            verifier.precheck(request);
            assertEquals(Kind.SIGNATURE_MISMATCH, failure.kind(),
                    "precheck passed a head that verify refuses for a reason the head shows: " + failure.getMessage());
        } catch (AuthenticationFailed early) {
            assertEquals(failure.kind(), early.kind());
            assertEquals(failure.getMessage(), early.getMessage());
        }
        return failure;
    }

    @Test
    void precheckRefusesFromTheHeadAloneWhatCanNeverAuthenticate() {
        SignedRequest unsigned = new SignedRequest("POST", "/", "", ecrHeaders(AMZ_DATE), SignedRequest.EMPTY_PAYLOAD_HASH);
        assertEquals(Kind.MISSING, assertThrows(AuthenticationFailed.class, () -> verifier.precheck(unsigned)).kind());
        TestSigner stranger = new TestSigner("AKIAUNKNOWNKEY000000", SECRET, "us-east-1", "ecr");
        assertEquals(Kind.UNKNOWN_CREDENTIAL, assertThrows(AuthenticationFailed.class,
                () -> verifier.precheck(stranger.sign(ecrRequest(AMZ_DATE), DAY, AMZ_DATE, SIGNED))).kind());
        SigV4Verifier later = verifierAt(NOW.plus(Duration.ofMinutes(16)));
        assertEquals(Kind.SIGNATURE_EXPIRED, assertThrows(AuthenticationFailed.class,
                () -> later.precheck(signed(ecrRequest(AMZ_DATE)))).kind());
    }

    @Test
    void precheckIgnoresThePayloadHashWhichOnlyTheBodyGives() {
        SignedRequest request = signed(ecrRequest(AMZ_DATE));
        SignedRequest headOnly = new SignedRequest(request.method(), request.rawPath(), request.rawQuery(),
                request.headers(), SignedRequest.EMPTY_PAYLOAD_HASH);
        verifier.precheck(headOnly);
        assertEquals(Kind.SIGNATURE_MISMATCH, fails(headOnly).kind());
    }

    private SignedRequest signed(SignedRequest unsigned) {
        return signer.sign(unsigned, DAY, AMZ_DATE, SIGNED);
    }

    private static SignedRequest ecrRequest(String amzDate) {
        return new SignedRequest("POST", "/", "", ecrHeaders(amzDate), VectorRequest.sha256Hex(BODY));
    }

    private static List<SignedRequest.Header> ecrHeaders(String amzDate) {
        return List.of(
                new SignedRequest.Header("Host", "registry.example.com:5000"),
                new SignedRequest.Header("Content-Type", "application/x-amz-json-1.1"),
                new SignedRequest.Header("X-Amz-Target", TARGET),
                new SignedRequest.Header("X-Amz-Date", amzDate),
                new SignedRequest.Header("User-Agent", "aws-sdk-java/2.40.2"));
    }

    private static SignedRequest withHeader(SignedRequest request, String name, String value) {
        List<SignedRequest.Header> headers = new ArrayList<>(request.headers());
        headers.add(new SignedRequest.Header(name, value));
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers, request.payloadHash());
    }

    private static SignedRequest without(SignedRequest request, String name) {
        List<SignedRequest.Header> headers = new ArrayList<>(request.headers());
        headers.removeIf(h -> h.name().equalsIgnoreCase(name));
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers, request.payloadHash());
    }

    private static SignedRequest replaceHeader(SignedRequest request, String name, String value) {
        return withHeader(without(request, name), name, value);
    }
}
