package io.lading.storage.local;

import io.lading.core.error.RegistryException.StorageFailure;

/**
 * Builds {@link StorageFailure}s that keep their cause and repeat its text in the message. Stateless.
 */
final class StorageFailures {

    private StorageFailures() {
    }

    static StorageFailure of(String what, Throwable cause) {
        String message = what + ": " + cause;
        return new StorageFailure(message, cause);
    }
}
