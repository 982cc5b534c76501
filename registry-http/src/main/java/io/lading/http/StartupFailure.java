package io.lading.http;

/**
 * Lading cannot start for a reason an operator can fix (the port is taken, the storage root is in use
 * or unusable); {@link #getMessage()} is one line saying what and which setting to change. {@link Main}
 * prints it and exits 1, without a stack trace.
 */
public final class StartupFailure extends RuntimeException {

    public StartupFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
