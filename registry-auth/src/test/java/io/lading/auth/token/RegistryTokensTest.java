package io.lading.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.auth.sigv4.Credential;
import io.lading.auth.sigv4.CredentialLookup;
import io.lading.core.error.RegistryException.AuthenticationFailed;
import io.lading.core.error.RegistryException.AuthenticationFailed.Kind;
import io.lading.core.identity.Principal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryTokensTest {

    private static final Instant START = Instant.parse("2025-03-14T12:00:00Z");
    private static final Principal ALICE = Principal.user("012345678901", "alice", "AKIAALICE0000000");
    private static final SecretKey KEY = key(1);

    private final Map<String, Credential> users = new ConcurrentHashMap<>(
            Map.of(ALICE.accessKeyId(), new Credential(ALICE.accessKeyId(), "secret-secret-secret", ALICE)));
    private final CredentialLookup lookup = id -> Optional.ofNullable(users.get(id));
    private final MutableClock clock = new MutableClock(START);
    private final RegistryTokens tokens = tokens(() -> KEY);

    @Test
    void verifiesTheTokenItIssued() {
        IssuedToken token = tokens.issue(ALICE);
        assertEquals(ALICE, tokens.verify(token.password()));
        assertEquals(START.plus(Duration.ofHours(12)), token.expiresAt());
    }

    @Test
    void passwordIsUrlSafeWithoutColon() {
        String password = tokens.issue(ALICE).password();
        assertTrue(password.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), password);
        assertFalse(password.contains(":"));
    }

    @Test
    void payloadIsCompactJson() {
        String password = tokens.issue(ALICE).password();
        String payload = new String(Base64.getUrlDecoder().decode(password.substring(0, password.indexOf('.'))),
                StandardCharsets.UTF_8);
        long iat = START.getEpochSecond();
        assertEquals("{\"v\":1,\"a\":\"012345678901\",\"k\":\"AKIAALICE0000000\",\"iat\":" + iat + ",\"exp\":"
                + (iat + 12 * 3600) + "}", payload);
    }

    @Test
    void authorizationTokenIsBase64OfAwsColonPassword() {
        IssuedToken token = tokens.issue(ALICE);
        String decoded = new String(Base64.getDecoder().decode(RegistryTokens.authorizationToken(token)),
                StandardCharsets.US_ASCII);
        assertEquals("AWS:" + token.password(), decoded);
        assertEquals(2, decoded.split(":").length);
    }

    @Test
    void rejectsTamperedPayload() {
        String password = tokens.issue(ALICE).password();
        String mac = password.substring(password.indexOf('.') + 1);
        String forged = "{\"v\":1,\"a\":\"012345678901\",\"k\":\"AKIAALICE0000000\",\"iat\":0,\"exp\":99999999999}";
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8))
                + "." + mac;
        assertInvalid(tampered);
    }

    @Test
    void rejectsTamperedMac() {
        String password = tokens.issue(ALICE).password();
        int at = password.length() - 10;
        char c = password.charAt(at);
        assertInvalid(password.substring(0, at) + (c == 'A' ? 'B' : 'A') + password.substring(at + 1));
    }

    @Test
    void rejectsNonCanonicalSpellingOfValidMac() {
        String password = tokens.issue(ALICE).password();
        // 32 bytes take 43 characters; the last one carries two unused low bits
        char last = password.charAt(password.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertInvalid(password.substring(0, password.length() - 1) + sibling);
    }

    @Test
    void rejectsTokenSignedWithAnotherKey() {
        String password = tokens(() -> key(2)).issue(ALICE).password();
        assertInvalid(password);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"abc", ".", "a.", ".b", "a.b.c", "a:b", "YWJj.ZGVm", "!!!!.????", "eyJ2IjoxfQ.",
        "YQ.YQ", "AWS:abc.def", "abc.def "})
    void rejectsMalformedPassword(String password) {
        assertInvalid(password);
    }

    @Test
    void rejectsOverlongPassword() {
        assertInvalid("a".repeat(5000) + ".b");
    }

    @Test
    void expiresAfterLifetime() {
        String password = tokens.issue(ALICE).password();
        clock.advance(Duration.ofHours(12).minusSeconds(1));
        assertEquals(ALICE, tokens.verify(password));
        clock.advance(Duration.ofSeconds(1));
        AuthenticationFailed failure = assertThrows(AuthenticationFailed.class, () -> tokens.verify(password));
        assertEquals(Kind.TOKEN_EXPIRED, failure.kind());
        assertEquals("Your authorization token has expired. Reauthenticate and try again.", failure.getMessage());
    }

    @Test
    void stopsWorkingWhenAccessKeyIsDeleted() {
        String password = tokens.issue(ALICE).password();
        users.remove(ALICE.accessKeyId());
        assertInvalid(password);
    }

    @Test
    void stopsWorkingWhenAccessKeyMovesToAnotherAccount() {
        String password = tokens.issue(ALICE).password();
        Principal moved = Principal.user("999999999999", "alice", ALICE.accessKeyId());
        users.put(ALICE.accessKeyId(), new Credential(ALICE.accessKeyId(), "secret-secret-secret", moved));
        assertInvalid(password);
    }

    @Test
    void acceptsTokenSignedWithPreviousKeyDuringRotation() {
        String old = tokens.issue(ALICE).password();
        SecretKey next = key(3);
        RegistryTokens rotated = tokens(new SigningKeySource() {
            @Override
            public SecretKey currentKey() {
                return next;
            }

            @Override
            public List<SecretKey> verificationKeys() {
                return List.of(next, KEY);
            }
        });
        assertEquals(ALICE, rotated.verify(old));
        assertEquals(ALICE, rotated.verify(rotated.issue(ALICE).password()));
    }

    @Test
    void issuedTokenDoesNotPrintPassword() {
        IssuedToken token = tokens.issue(ALICE);
        assertFalse(token.toString().contains(token.password()));
    }

    private RegistryTokens tokens(SigningKeySource keys) {
        return new RegistryTokens(keys, lookup, clock, RegistryTokens.DEFAULT_LIFETIME);
    }

    private void assertInvalid(String password) {
        AuthenticationFailed failure = assertThrows(AuthenticationFailed.class, () -> tokens.verify(password));
        assertEquals(Kind.TOKEN_INVALID, failure.kind());
        assertEquals("Your authorization token is invalid.", failure.getMessage());
    }

    private static SecretKey key(int seed) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) seed;
        return new SecretKeySpec(bytes, "HmacSHA256");
    }
}
