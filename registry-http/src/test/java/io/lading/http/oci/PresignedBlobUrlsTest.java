package io.lading.http.oci;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.auth.token.SigningKeySource;
import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.AccessDenied;
import io.lading.core.repository.RepositoryName;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Signing and verification of presigned blob URLs, including expiry and key rotation. */
class PresignedBlobUrlsTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final RepositoryName NAME = RepositoryName.of("team/web");
    private static final Digest DIGEST = Digest.parse("sha256:" + "ab".repeat(32));
    private static final SecretKey KEY = new SecretKeySpec(new byte[32], "HmacSHA256");
    private static final SecretKey OTHER = new SecretKeySpec("0123456789abcdef0123456789abcdef".getBytes(), "HmacSHA256");

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    private static Map<String, List<String>> query(String url) {
        return new QueryStringDecoder(url).parameters();
    }

    @Test
    void validUntilTheExpiryThenDenied() {
        String url = new PresignedBlobUrls(() -> KEY, at(NOW)).url("http://h:5000", NAME, DIGEST);
        assertTrue(url.startsWith("http://h:5000/v2/team/web/blobs/" + DIGEST + "?X-Lading-Expires="
                + NOW.plus(PresignedBlobUrls.LIFETIME).getEpochSecond() + "&X-Lading-Signature="), url);
        Map<String, List<String>> q = query(url);
        assertTrue(PresignedBlobUrls.isPresigned(q));
        assertFalse(PresignedBlobUrls.isPresigned(Map.of("n", List.of("1"))));
        assertDoesNotThrow(() -> new PresignedBlobUrls(() -> KEY, at(NOW.plusSeconds(299)))
                .verify("team/web", DIGEST.toString(), q));
        AccessDenied expired = assertThrows(AccessDenied.class, () -> new PresignedBlobUrls(() -> KEY,
                at(NOW.plusSeconds(300))).verify("team/web", DIGEST.toString(), q));
        assertEquals("The download URL has expired", expired.getMessage());
    }

    @Test
    void boundToNameDigestAndKey() {
        PresignedBlobUrls urls = new PresignedBlobUrls(() -> KEY, at(NOW), Duration.ofMinutes(1));
        Map<String, List<String>> q = query(urls.url("http://h", NAME, DIGEST));
        assertThrows(AccessDenied.class, () -> urls.verify("team/api", DIGEST.toString(), q));
        assertThrows(AccessDenied.class, () -> urls.verify("team/web", "sha256:" + "cd".repeat(32), q));
        assertThrows(AccessDenied.class, () -> new PresignedBlobUrls(() -> OTHER, at(NOW))
                .verify("team/web", DIGEST.toString(), q));
        assertThrows(AccessDenied.class, () -> urls.verify("team/web", DIGEST.toString(),
                Map.of(PresignedBlobUrls.EXPIRES, q.get(PresignedBlobUrls.EXPIRES))));
        assertThrows(AccessDenied.class, () -> urls.verify("team/web", DIGEST.toString(),
                Map.of(PresignedBlobUrls.EXPIRES, List.of("-5"), PresignedBlobUrls.SIGNATURE,
                        q.get(PresignedBlobUrls.SIGNATURE))));
        // a rotated-out key still verifies while the source lists it
        SigningKeySource rotated = new SigningKeySource() {
            @Override
            public SecretKey currentKey() {
                return OTHER;
            }

            @Override
            public List<SecretKey> verificationKeys() {
                return List.of(OTHER, KEY);
            }
        };
        assertDoesNotThrow(() -> new PresignedBlobUrls(rotated, at(NOW)).verify("team/web", DIGEST.toString(), q));
    }
}
