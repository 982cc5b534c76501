package io.lading.auth.sigv4;

import java.util.Optional;

/**
 * Finds the secret behind an access key id. Called on every signed request and every registry password
 * check, so implementations answer from memory. Implementations must be thread-safe.
 */
public interface CredentialLookup {

    /** The credential with this access key id, or empty if no such key exists (any more). */
    Optional<Credential> find(String accessKeyId);
}
