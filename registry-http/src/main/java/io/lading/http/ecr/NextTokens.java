package io.lading.http.ecr;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident {@code nextToken}s (ecr-api.md 2.11): the last sort key of a page, bound to the
 * operation and scope (registry, repository, filter) it was issued for, with an HMAC. A token presented
 * with other parameters, altered, or issued by another process is an {@code InvalidParameterException}.
 * The key is random per process, so tokens do not survive a restart. Thread-safe.
 */
public final class NextTokens {

    private final byte[] key = new byte[32];

    public NextTokens() {
        new SecureRandom().nextBytes(key);
    }

    /** A token resuming after {@code last} for this operation and scope. */
    public String issue(EcrOperation op, String scope, String last) {
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(last.getBytes(StandardCharsets.UTF_8));
        return payload + "." + mac(op, scope, payload);
    }

    /** The sort key a token resumes after. @throws EcrException if it is invalid for this call */
    public String resume(EcrOperation op, String scope, String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            throw invalid();
        }
        String payload = token.substring(0, dot);
        byte[] expected = mac(op, scope, payload).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            throw invalid();
        }
        try {
            return new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private String mac(EcrOperation op, String scope, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((op.name() + "\n" + scope + "\n" + payload).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EcrException invalid() {
        return EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'nextToken' failed to satisfy constraint: "
                + "'Invalid NextToken'");
    }
}
