package io.lading.http.oci;

import io.lading.auth.token.SigningKeySource;
import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.AccessDenied;
import io.lading.core.repository.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * Short-lived, pre-authorised blob URLs (GetDownloadUrlForLayer, ecr-api.md 4.3):
 * {@code <endpoint>/v2/<name>/blobs/<digest>?X-Lading-Expires=<epoch seconds>&X-Lading-Signature=<hmac>}.
 * The signature is HMAC-SHA256 over a domain-separated string of name, digest and expiry, keyed with the
 * registry's signing key (shared by every node), so a plain unauthenticated GET or HEAD of exactly that
 * blob works until the expiry and nothing else does. Thread-safe.
 */
public final class PresignedBlobUrls {

    public static final String EXPIRES = "X-Lading-Expires";
    public static final String SIGNATURE = "X-Lading-Signature";
    /** The default URL lifetime. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);

    private static final String DOMAIN = "lading-presigned-blob-v1";

    private final SigningKeySource keys;
    private final Clock clock;
    private final Duration lifetime;

    public PresignedBlobUrls(SigningKeySource keys, Clock clock) {
        this(keys, clock, LIFETIME);
    }

    public PresignedBlobUrls(SigningKeySource keys, Clock clock, Duration lifetime) {
        this.keys = keys;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** A URL for {@code digest} in {@code name}, valid for the configured lifetime from now. */
    public String url(String endpoint, RepositoryName name, Digest digest) {
        long expires = clock.instant().plus(lifetime).getEpochSecond();
        return endpoint + "/v2/" + name.value() + "/blobs/" + digest + "?" + EXPIRES + "=" + expires + "&"
                + SIGNATURE + "=" + sign(keys.currentKey(), name.value(), digest.toString(), expires);
    }

    /** Whether the query names a presigned URL (carries either of its parameters). */
    public static boolean isPresigned(Map<String, List<String>> query) {
        return query.containsKey(EXPIRES) || query.containsKey(SIGNATURE);
    }

    /**
     * Checks a presigned request for the blob {@code digest} of repository {@code name} (both exactly as
     * they appear in the path).
     *
     * @throws AccessDenied if the signature is missing, malformed, forged or expired
     */
    public void verify(String name, String digest, Map<String, List<String>> query) {
        String expiresText = single(query, EXPIRES);
        String signature = single(query, SIGNATURE);
        if (expiresText == null || signature == null || expiresText.length() > 19
                || !expiresText.chars().allMatch(Character::isDigit)) {
            throw denied();
        }
        long expires = Long.parseLong(expiresText);
        byte[] given = signature.getBytes(StandardCharsets.US_ASCII);
        if (!signed(name, digest, expires, given) && !(keys.refresh() && signed(name, digest, expires, given))) {
            throw denied();
        }
        if (clock.instant().getEpochSecond() >= expires) {
            throw new AccessDenied("The download URL has expired");
        }
    }

    /** Whether any verification key signed it (a key another node just rotated in after a refresh). */
    private boolean signed(String name, String digest, long expires, byte[] given) {
        boolean valid = false;
        for (SecretKey key : keys.verificationKeys()) {
            valid |= MessageDigest.isEqual(sign(key, name, digest, expires).getBytes(StandardCharsets.US_ASCII), given);
        }
        return valid;
    }

    private static String single(Map<String, List<String>> query, String parameter) {
        List<String> values = query.get(parameter);
        return values == null || values.size() != 1 ? null : values.get(0);
    }

    private static AccessDenied denied() {
        return new AccessDenied("The download URL signature is invalid");
    }

    private static String sign(SecretKey key, String name, String digest, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] out = mac.doFinal((DOMAIN + "\n" + name + "\n" + digest + "\n" + expires)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
