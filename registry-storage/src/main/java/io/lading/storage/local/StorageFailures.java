package io.lading.storage.local;

import io.lading.core.error.RegistryException.StorageFailure;

/**
 * Builds {@link StorageFailure}s that keep their cause and repeat its text in the message, for every
 * backend (local disk and S3). Stateless.
 */
public final class StorageFailures {

    private StorageFailures() {
    }

    public static StorageFailure of(String what, Throwable cause) {
        String message = what + ": " + cause;
        return new StorageFailure(message, cause);
    }
}
