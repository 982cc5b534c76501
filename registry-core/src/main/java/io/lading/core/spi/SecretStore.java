package io.lading.core.spi;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Small secrets every node shares (the registry password signing keys), by name, with atomic create and
 * compare-and-swap on a version (1 when created, one more with every replace).
 *
 * <p>A backend keeps the values readable by the registry's own identity only: the embedded database file
 * is owner-only ({@code rw-------}); on a database server the table is granted to the registry's role
 * alone (docs/operations.md). Names match {@link #NAME}; other names are rejected with
 * {@link IllegalArgumentException}. Thread-safe.
 */
public interface SecretStore {

    /** What a secret's name may be. */
    Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");

    /** A value and the version {@link #replace} compares. */
    record Versioned(byte[] value, long version) {
    }

    /** The secret, or empty if there is none of that name. */
    Optional<Versioned> get(String name);

    /** Creates the secret if it does not exist. Returns false, changing nothing, if it exists. */
    boolean createIfAbsent(String name, byte[] value);

    /**
     * Replaces the secret if its version is {@code expectedVersion}. Returns false, changing nothing, if
     * it is missing or another writer changed it.
     */
    boolean replace(String name, long expectedVersion, byte[] value);

    /** @throws IllegalArgumentException if {@code name} does not match {@link #NAME} */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a secret's name is 1 to 128 of [a-z0-9._-], starting with a letter"
                    + " or digit: " + name);
        }
        return name;
    }
}
