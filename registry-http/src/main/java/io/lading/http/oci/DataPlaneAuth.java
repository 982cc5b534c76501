package io.lading.http.oci;

import io.lading.auth.sigv4.Credential;
import io.lading.auth.sigv4.CredentialLookup;
import io.lading.auth.token.RegistryTokens;
import io.lading.core.error.RegistryException.AuthenticationFailed;
import io.lading.core.error.RegistryException.AuthenticationFailed.Kind;
import io.lading.core.identity.Principal;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates {@code /v2} requests on their head (ecr-behaviour.md 3.3/3.4): {@code Basic AWS:<password>}
 * with a GetAuthorizationToken password, or {@code Basic <accessKeyId>:<secretAccessKey>} as long-lived
 * static credentials (3.6). Verified headers are cached until the token's expiry, so a pull pays for one
 * map lookup, not an HMAC. Thread-safe.
 */
public final class DataPlaneAuth {

    /** How strictly the data plane authenticates. */
    public enum Mode { REQUIRED, ANONYMOUS_PULL, OFF }

    private static final int CACHE_LIMIT = 10_000;

    private final Mode mode;
    private final RegistryTokens tokens;
    private final CredentialLookup credentials;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Principal principal, Instant validUntil) {
    }

    public DataPlaneAuth(Mode mode, RegistryTokens tokens, CredentialLookup credentials, Clock clock) {
        this.mode = mode;
        this.tokens = tokens;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** How strictly this data plane authenticates. */
    public Mode mode() {
        return mode;
    }

    public static DataPlaneAuth off() {
        return new DataPlaneAuth(Mode.OFF, null, null, Clock.systemUTC());
    }

    /**
     * The caller, or empty for an anonymous request the mode allows.
     *
     * @throws AuthenticationFailed when credentials are missing, malformed, unknown, expired or forged
     */
    public Optional<Principal> authenticate(HttpRequest request) {
        if (mode == Mode.OFF) {
            return Optional.empty();
        }
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            boolean read = HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
            if (mode == Mode.ANONYMOUS_PULL && read) {
                return Optional.empty();
            }
            throw new AuthenticationFailed(Kind.MISSING, "Not Authorized");
        }
        Instant now = clock.instant();
        Cached hit = cache.get(header);
        if (hit != null && now.isBefore(hit.validUntil())) {
            return Optional.of(hit.principal());
        }
        Principal principal = verify(header, now);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        return Optional.of(principal);
    }

    /**
     * Forgets every verified header, so that each is verified again at its next use: after a signing key
     * rotation retired a key, its passwords are refused at once rather than when their cache entry ends.
     */
    public void forgetVerified() {
        cache.clear();
    }

    private Principal verify(String header, Instant now) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new AuthenticationFailed(Kind.MALFORMED, "Not Authorized");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AuthenticationFailed(Kind.MALFORMED, "Not Authorized");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new AuthenticationFailed(Kind.MALFORMED, "Not Authorized");
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        if (user.equals("AWS")) {
            RegistryTokens.Verified v = tokens.verifyUntil(password);
            // cached until the token expires, and re-verified at least every minute so revocation is noticed
            Instant until = now.plusSeconds(60).isBefore(v.expiresAt()) ? now.plusSeconds(60) : v.expiresAt();
            cache.put(header, new Cached(v.principal(), until));
            return v.principal();
        }
        Optional<Credential> c = credentials.find(user);
        if (c.isEmpty() || !MessageDigest.isEqual(c.get().secretAccessKey().getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8))) {
            throw new AuthenticationFailed(Kind.UNKNOWN_CREDENTIAL, "Not Authorized");
        }
        cache.put(header, new Cached(c.get().principal(), now.plusSeconds(60)));
        return c.get().principal();
    }
}
