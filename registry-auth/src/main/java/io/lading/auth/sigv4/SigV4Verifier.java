package io.lading.auth.sigv4;

import io.lading.core.error.RegistryException.AuthenticationFailed;
import io.lading.core.error.RegistryException.AuthenticationFailed.Kind;
import io.lading.core.identity.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Verifies AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256 ...} header form) on a received
 * request and returns the principal it authenticates.
 *
 * <p>Why hand-written: the AWS SDK's signer <em>signs</em> a request it is about to send, from an
 * SDK request object whose path and query it encodes itself. A server has the opposite problem: it
 * must reconstruct the client's canonical request from the bytes it received (a path that is already
 * percent-encoded, a raw query, headers in arrival order with repeats) and compare. Feeding received
 * requests through the SDK signer would re-encode and re-order them and needs the SDK on the server's
 * classpath, which this module must not have. So the parts written here by hand are: parsing the
 * {@code Authorization} header ({@link AuthorizationHeader}), the canonical request from received data
 * ({@link CanonicalRequest}: dot-segment removal, the second percent-encoding non-S3 services sign,
 * query re-encoding and sorting, header value trimming and joining), the request-time rules
 * ({@link RequestTime}), the signing-key chain with a small LRU cache ({@link SigningKeyCache}), and the
 * constant-time comparison. Only {@code javax.crypto.Mac} and {@code MessageDigest} come from the JDK.
 * It is checked against AWS's published signing test vectors.
 *
 * <p>Checks, in order; each failure is an {@link AuthenticationFailed} of the kind named:
 * <ol>
 *   <li>an {@code Authorization} header exists ({@code MISSING}) and parses ({@code MALFORMED});
 *   <li>the scope names this verifier's region and service and ends in {@code aws4_request}, and
 *       {@code host}, the date header and every {@code x-amz-*} header the request carries are signed
 *       ({@code SIGNATURE_MISMATCH}), as AWS requires: an unsigned {@code X-Amz-*} header could be
 *       added or changed by anyone on the way;
 *   <li>there is no session token ({@code X-Amz-Security-Token}): Lading issues none, so any token was
 *       issued by someone else ({@code UNKNOWN_CREDENTIAL}, AWS's "security token ... is invalid");
 *   <li>the access key exists ({@code UNKNOWN_CREDENTIAL});
 *   <li>the request time's day equals the scope date ({@code SIGNATURE_MISMATCH}) and lies within
 *       {@code maxSkew} of the clock ({@code SIGNATURE_EXPIRED});
 *   <li>an {@code x-amz-content-sha256} header equals the hash of the received body
 *       ({@code SIGNATURE_MISMATCH});
 *   <li>the signature matches, compared in constant time ({@code SIGNATURE_MISMATCH}).
 * </ol>
 * Not supported: presigned (query-string) requests, temporary credentials (session tokens),
 * {@code UNSIGNED-PAYLOAD} and streaming payloads, and accepting scopes that name another region.
 *
 * <p>Immutable apart from the signing-key cache; thread-safe.
 *
 * @see "shared/spec/ecr-api.md sections 2.8 and 2.9"
 */
public final class SigV4Verifier {

    private static final HexFormat HEX = HexFormat.of();
    private static final int KEY_CACHE_CAPACITY = 256;
    private static final String SESSION_TOKEN = "x-amz-security-token";
    private static final String INVALID_TOKEN = "The security token included in the request is invalid.";

    private final CredentialLookup lookup;
    private final String region;
    private final String service;
    private final Clock clock;
    private final Duration maxSkew;
    private final boolean normalizePath;
    private final boolean doubleEncodePath;
    private final SigningKeyCache signingKeys = new SigningKeyCache(KEY_CACHE_CAPACITY);

    /**
     * @param lookup finds the secret of an access key id
     * @param region the only region a scope may name, e.g. {@code us-east-1}
     * @param service the scope's service, {@code ecr} for the control API
     * @param clock the server time the request time is compared with
     * @param maxSkew how far the request time may be from the clock either way; AWS uses 15 minutes
     * @param normalizePath whether the canonical path has {@code .}, {@code ..} and empty segments removed
     *     (every service but S3)
     */
    public SigV4Verifier(CredentialLookup lookup, String region, String service, Clock clock, Duration maxSkew,
            boolean normalizePath) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.region = Objects.requireNonNull(region, "region");
        this.service = Objects.requireNonNull(service, "service");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
        this.normalizePath = normalizePath;
        this.doubleEncodePath = !service.equals("s3");
    }

    /**
     * Verifies the request's signature.
     *
     * @return the principal of the access key that signed the request
     * @throws AuthenticationFailed if the request is unsigned, malformed, signed by an unknown key, too
     *     old or too new, or its signature does not match
     */
    public Principal verify(SignedRequest request) {
        HeadChecks head = checkHead(request);
        AuthorizationHeader auth = head.auth();
        RequestTime time = head.time();
        Credential credential = head.credential();
        checkContentHash(request);

        String canonical = CanonicalRequest.of(request, auth, normalizePath, doubleEncodePath);
        String stringToSign = AuthorizationHeader.ALGORITHM + "\n" + time.basic() + "\n" + auth.scope() + "\n"
                + HEX.formatHex(HmacSha256.sha256(canonical));
        byte[] key = signingKeys.signingKey(credential.secretAccessKey(), auth.scopeDate(), region, service);
        byte[] expected = HEX.formatHex(HmacSha256.mac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, auth.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw mismatch("The request signature we calculated does not match the signature you provided."
                    + " Check your AWS Secret Access Key and signing method. Consult the service documentation"
                    + " for details.");
        }
        return credential.principal();
    }

    /**
     * Runs the checks that need only the request head (1 to 5 above: header shape, scope, signed
     * headers, session token, known key, request time), so that a request that can never authenticate
     * is refused before its body is read. Its {@link SignedRequest#payloadHash()} is not looked at.
     * {@link #verify} runs the same checks again with the body: passing this proves nothing by itself.
     *
     * @throws AuthenticationFailed exactly as {@link #verify} would for the same head
     */
    public void precheck(SignedRequest head) {
        checkHead(head);
    }

    private record HeadChecks(AuthorizationHeader auth, RequestTime time, Credential credential) {
    }

    private HeadChecks checkHead(SignedRequest request) {
        AuthorizationHeader auth = AuthorizationHeader.parse(authorizationHeader(request));
        checkScope(auth);
        RequestTime time = RequestTime.of(request);
        checkSignedHeaders(request, auth, time);
        if (!request.values(SESSION_TOKEN).isEmpty()) {
            throw new AuthenticationFailed(Kind.UNKNOWN_CREDENTIAL, INVALID_TOKEN);
        }
        Credential credential = lookup.find(auth.accessKeyId())
                .orElseThrow(() -> new AuthenticationFailed(Kind.UNKNOWN_CREDENTIAL,
                        INVALID_TOKEN));
        checkTime(auth, time);
        return new HeadChecks(auth, time, credential);
    }

    private static String authorizationHeader(SignedRequest request) {
        List<String> values = request.values("authorization");
        if (values.isEmpty()) {
            throw new AuthenticationFailed(Kind.MISSING, "Missing Authentication Token");
        }
        if (values.size() > 1) {
            throw new AuthenticationFailed(Kind.MALFORMED, "Only one 'Authorization' header is allowed.");
        }
        return values.get(0);
    }

    private void checkScope(AuthorizationHeader auth) {
        if (!auth.scopeTerminator().equals("aws4_request")) {
            throw mismatch("Credential should be scoped with a valid terminator: 'aws4_request', not '"
                    + auth.scopeTerminator() + "'.");
        }
        if (!auth.scopeService().equals(service)) {
            throw mismatch("Credential should be scoped to correct service: '" + service + "'.");
        }
        if (!auth.scopeRegion().equals(region)) {
            throw mismatch("Credential should be scoped to a valid region, not '" + auth.scopeRegion()
                    + "'. This registry is in '" + region + "'.");
        }
    }

    private static void checkSignedHeaders(SignedRequest request, AuthorizationHeader auth, RequestTime time) {
        if (!auth.signs("host")) {
            throw mismatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (!auth.signs(time.header())) {
            throw mismatch("'" + (time.header().equals("date") ? "Date" : "X-Amz-Date")
                    + "' must be a 'SignedHeader' in the AWS Authorization.");
        }
        for (SignedRequest.Header header : request.headers()) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-") && !auth.signs(name)) {
                throw mismatch("'" + displayName(name) + "' must be a 'SignedHeader' in the AWS Authorization.");
            }
        }
    }

    private void checkTime(AuthorizationHeader auth, RequestTime time) {
        if (!time.day().equals(auth.scopeDate())) {
            throw mismatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from"
                    + " HTTP: '" + auth.scopeDate() + "' != '" + time.day() + "', from '" + time.basic() + "'.");
        }
        Instant now = clock.instant();
        String skew = maxSkew.toMinutes() + " min.";
        Instant earliest = now.minus(maxSkew);
        Instant latest = now.plus(maxSkew);
        if (time.instant().isBefore(earliest)) {
            throw new AuthenticationFailed(Kind.SIGNATURE_EXPIRED, "Signature expired: " + time.basic()
                    + " is now earlier than " + basic(earliest) + " (" + basic(now) + " - " + skew + ")");
        }
        if (time.instant().isAfter(latest)) {
            throw new AuthenticationFailed(Kind.SIGNATURE_EXPIRED, "Signature not yet current: " + time.basic()
                    + " is still later than " + basic(latest) + " (" + basic(now) + " + " + skew + ")");
        }
    }

    private static void checkContentHash(SignedRequest request) {
        for (String claimed : request.values("x-amz-content-sha256")) {
            if (!claimed.strip().toLowerCase(Locale.ROOT).equals(request.payloadHash())) {
                throw mismatch("The provided 'x-amz-content-sha256' header does not match what was computed.");
            }
        }
    }

    /** {@code x-amz-security-token} as AWS writes it in messages: {@code X-Amz-Security-Token}. */
    private static String displayName(String lowerCaseName) {
        StringBuilder out = new StringBuilder(lowerCaseName.length());
        boolean upper = true;
        for (char c : lowerCaseName.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return out.toString();
    }

    private static String basic(Instant instant) {
        return RequestTime.BASIC.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static AuthenticationFailed mismatch(String message) {
        return new AuthenticationFailed(Kind.SIGNATURE_MISMATCH, message);
    }
}
