package io.lading.auth.token;

import java.time.Instant;
import java.util.Objects;

/**
 * A freshly minted registry password and when it stops working. Immutable; {@link #toString()} hides
 * the password so the value may be logged.
 *
 * @param password the URL-safe password clients send as {@code AWS:<password>} in Basic auth
 * @param expiresAt the instant after which {@link RegistryTokens#verify} answers {@code TOKEN_EXPIRED},
 *     whole seconds (GetAuthorizationToken reports it as epoch seconds)
 */
public record IssuedToken(String password, Instant expiresAt) {

    public IssuedToken {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "IssuedToken[expiresAt=" + expiresAt + "]";
    }
}
