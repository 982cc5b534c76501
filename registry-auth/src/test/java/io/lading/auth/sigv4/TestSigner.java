package io.lading.auth.sigv4;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Signs requests for the verifier's unit tests, the way an SDK would. It reuses the verifier's canonical
 * request code, which the AWS test vectors check independently, so these tests are about the verifier's
 * rules, not about canonicalisation.
 */
record TestSigner(String accessKeyId, String secret, String region, String service) {

    private static final String PLACEHOLDER = "0".repeat(64);

    /** Adds an Authorization header signing {@code signedHeaders} (lower-case, sorted) of {@code unsigned}. */
    SignedRequest sign(SignedRequest unsigned, String scopeDate, String amzDate, List<String> signedHeaders) {
        String header = authorization(scopeDate, signedHeaders, PLACEHOLDER);
        AuthorizationHeader auth = AuthorizationHeader.parse(header);
        String canonical = CanonicalRequest.of(unsigned, auth, true, !service.equals("s3"));
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + auth.scope() + "\n"
                + HexFormat.of().formatHex(HmacSha256.sha256(canonical));
        byte[] key = SigningKeyCache.derive(secret, scopeDate, region, service);
        String signature = HexFormat.of().formatHex(HmacSha256.mac(key, stringToSign));
        List<SignedRequest.Header> headers = new ArrayList<>(unsigned.headers());
        headers.add(new SignedRequest.Header("Authorization", authorization(scopeDate, signedHeaders, signature)));
        return new SignedRequest(unsigned.method(), unsigned.rawPath(), unsigned.rawQuery(), headers,
                unsigned.payloadHash());
    }

    String authorization(String scopeDate, List<String> signedHeaders, String signature) {
        return "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scopeDate + "/" + region + "/" + service
                + "/aws4_request, SignedHeaders=" + String.join(";", signedHeaders) + ", Signature=" + signature;
    }
}
