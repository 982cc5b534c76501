package io.lading.auth.sigv4;

import io.lading.core.identity.Principal;
import java.util.Objects;

/**
 * A long-lived access key pair and the principal it authenticates. Immutable and thread-safe;
 * {@link #toString()} never shows the secret, so a credential may be logged.
 *
 * @param accessKeyId the public key id, e.g. {@code AKIAIOSFODNN7EXAMPLE}
 * @param secretAccessKey the shared secret the client signs with
 * @param principal who is authenticated by a request signed with this secret
 */
public record Credential(String accessKeyId, String secretAccessKey, Principal principal) {

    public Credential {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(principal, "principal");
    }

    @Override
    public String toString() {
        return "Credential[accessKeyId=" + accessKeyId + ", principal=" + principal.arn() + "]";
    }
}
