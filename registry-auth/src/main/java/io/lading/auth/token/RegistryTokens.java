package io.lading.auth.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.auth.sigv4.Credential;
import io.lading.auth.sigv4.CredentialLookup;
import io.lading.core.error.RegistryException.AuthenticationFailed;
import io.lading.core.error.RegistryException.AuthenticationFailed.Kind;
import io.lading.core.identity.Principal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * Mints and checks the registry password that GetAuthorizationToken hands out and {@code docker login}
 * sends back as {@code Basic base64("AWS:<password>")}.
 *
 * <p>Format: {@code base64url(payload) + "." + base64url(HMAC-SHA256(key, payload))}, both without
 * padding, where the payload is the compact JSON of {@link TokenPayload}. The password therefore uses only
 * {@code [A-Za-z0-9_.-]}: no {@code :}, which the AWS CLI would split on. Checking one costs one HMAC and
 * one map lookup, with no I/O.
 *
 * <p>The password authenticates a principal; it grants nothing by itself (authorisation is evaluated
 * per request). It stops working when it expires, when its signing key leaves
 * {@link SigningKeySource#verificationKeys()} (a password that matches no key in memory makes the source
 * {@link SigningKeySource#refresh() reload} once before it is refused, so a key rotated in on another node
 * verifies at once), or when its access key is deleted from the credential
 * store, so removing a user revokes the user's outstanding passwords too.
 *
 * <p>Immutable; thread-safe.
 *
 * @see "shared/spec/ecr-behaviour.md section 3"
 */
public final class RegistryTokens {

    /** The password lifetime GetAuthorizationToken promises. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(12);

    static final String INVALID = "Your authorization token is invalid.";
    static final String EXPIRED = "Your authorization token has expired. Reauthenticate and try again.";

    /** Far above any password we mint; refuses to decode megabytes of garbage. */
    private static final int MAX_LENGTH = 2048;
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);
    private static final Base64.Encoder URL_ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SigningKeySource keys;
    private final CredentialLookup lookup;
    private final Clock clock;
    private final Duration lifetime;

    /**
     * @param keys the HMAC key source, shared by every node
     * @param lookup the credential store; a password whose access key is gone is refused
     * @param clock issue and expiry time
     * @param lifetime how long a password lives, normally {@link #DEFAULT_LIFETIME}
     */
    public RegistryTokens(SigningKeySource keys, CredentialLookup lookup, Clock clock, Duration lifetime) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.toSeconds() <= 0) {
            throw new IllegalArgumentException("lifetime must be at least one second");
        }
    }

    /** Mints a password for {@code principal}, valid from now for the configured lifetime. */
    public IssuedToken issue(Principal principal) {
        Objects.requireNonNull(principal.accessKeyId(), "principal has no access key id");
        long now = clock.instant().getEpochSecond();
        long expires = now + lifetime.toSeconds();
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(new TokenPayload(TokenPayload.VERSION, principal.accountId(),
                    principal.accessKeyId(), now, expires));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a token payload", e);
        }
        String password = URL_ENCODER.encodeToString(payload) + "."
                + URL_ENCODER.encodeToString(mac(keys.currentKey(), payload));
        return new IssuedToken(password, Instant.ofEpochSecond(expires));
    }

    /**
     * Checks a password and returns the principal it was issued to, as the credential store describes
     * that principal now.
     *
     * @throws AuthenticationFailed {@code TOKEN_INVALID} if the password is malformed, forged, tampered
     *     with or its access key no longer exists; {@code TOKEN_EXPIRED} if it is past its expiry
     */
    public Principal verify(String password) {
        return verifyUntil(password).principal();
    }

    /** A verified password: its principal and the instant it stops being valid. */
    public record Verified(Principal principal, java.time.Instant expiresAt) {
    }

    /** As {@link #verify(String)}, also returning the password's expiry (so callers may cache it that long). */
    public Verified verifyUntil(String password) {
        if (password == null || password.length() > MAX_LENGTH || !SHAPE.matcher(password).matches()) {
            throw invalid();
        }
        int dot = password.indexOf('.');
        byte[] payload;
        byte[] signature;
        try {
            payload = decodeCanonical(password.substring(0, dot));
            signature = decodeCanonical(password.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!signedByKnownKey(payload, signature) && !(keys.refresh() && signedByKnownKey(payload, signature))) {
            throw invalid();
        }
        TokenPayload claims = parse(payload);
        if (clock.instant().getEpochSecond() >= claims.expiresAt()) {
            throw new AuthenticationFailed(Kind.TOKEN_EXPIRED, EXPIRED);
        }
        Optional<Credential> credential = lookup.find(claims.accessKeyId());
        if (credential.isEmpty() || !credential.get().principal().accountId().equals(claims.accountId())) {
            throw invalid();
        }
        return new Verified(credential.get().principal(), java.time.Instant.ofEpochSecond(claims.expiresAt()));
    }

    /** The {@code authorizationToken} of GetAuthorizationToken: standard base64, padded, of {@code AWS:<password>}. */
    public static String authorizationToken(IssuedToken token) {
        return Base64.getEncoder().encodeToString(("AWS:" + token.password()).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Decodes base64url, refusing encodings we would not have produced (non-zero trailing bits), so each
     * accepted password has exactly one spelling.
     */
    private static byte[] decodeCanonical(String text) {
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        if (!URL_ENCODER.encodeToString(bytes).equals(text)) {
            throw new IllegalArgumentException("not canonical base64url");
        }
        return bytes;
    }

    private boolean signedByKnownKey(byte[] payload, byte[] signature) {
        boolean matched = false;
        for (SecretKey key : keys.verificationKeys()) {
            // no early exit: the time taken must not tell which key, if any, matched
            matched |= MessageDigest.isEqual(mac(key, payload), signature);
        }
        return matched;
    }

    private static TokenPayload parse(byte[] payload) {
        try {
            TokenPayload claims = JSON.readValue(payload, TokenPayload.class);
            if (claims.version() != TokenPayload.VERSION) {
                throw invalid();
            }
            return claims;
        } catch (IOException e) {
            // only reachable with a valid MAC, i.e. a payload this registry signed in another format
            throw invalid();
        }
    }

    private static byte[] mac(SecretKey key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    private static AuthenticationFailed invalid() {
        return new AuthenticationFailed(Kind.TOKEN_INVALID, INVALID);
    }
}
