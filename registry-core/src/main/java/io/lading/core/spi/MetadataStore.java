package io.lading.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store of small documents (repository records, tags, manifest records, links) under hierarchical
 * keys, with the two primitives that make concurrent writers safe on local disk and on S3: atomic
 * create ({@link #createIfAbsent}) and compare-and-swap ({@link #replace}). No operation relies on
 * rename or on listing order.
 *
 * <p>Keys are {@code /}-separated segments of {@code [A-Za-z0-9._:-]} that are neither {@code .} nor
 * {@code ..}; implementations reject other keys with {@link IllegalArgumentException}. Values are at
 * most a few megabytes. Every write is atomic: a reader sees the old value or the new one, never a mix,
 * even after a crash. Thread-safe.
 *
 * <p>Keys under {@link #SECRETS} hold secrets (the key that signs registry passwords). A backend keeps
 * them readable by the registry's own identity only, from the moment they are written: the local-disk
 * backend creates their files {@code rw-------} in a {@code rwx------} directory.
 */
public interface MetadataStore {

    /** The prefix of the keys whose values are secrets (see the class comment). */
    String SECRETS = "auth/";

    /** Whether {@code key} holds a secret, i.e. lies under {@link #SECRETS}. */
    static boolean isSecret(String key) {
        return key.startsWith(SECRETS);
    }

    /** The value and its version, or empty if the key does not exist. */
    Optional<Versioned> get(String key);

    /** Creates the key if it does not exist. Returns false, changing nothing, if it exists. */
    boolean createIfAbsent(String key, byte[] value);

    /**
     * Replaces the value if its current version is {@code expectedVersion}. Returns false, changing
     * nothing, if the key is missing or another writer changed it.
     */
    boolean replace(String key, String expectedVersion, byte[] value);

    /** Writes the value unconditionally (for last-writer-wins data such as pull times). */
    void put(String key, byte[] value);

    /** Deletes the key if its version is {@code expectedVersion}. Returns false if it was not deleted. */
    boolean delete(String key, String expectedVersion);

    /** Deletes the key whatever its value. Deleting a missing key is not an error. */
    void delete(String key);

    /** Every key that starts with {@code prefix} (a whole-segment prefix ending in {@code /}), any order. */
    List<String> list(String prefix);

    /**
     * Moves the document at {@code key} out of the key space into the store's quarantine, keeping its
     * bytes and recording {@code reason}, so that a document nobody can read stops failing its readers but
     * is not lost. Afterwards the key does not exist. Returns the entry, or empty if the key did not exist.
     */
    Optional<QuarantinedDocument> quarantine(String key, String reason, Instant now);

    /** Every document in quarantine (including those quarantined by earlier processes), any order. */
    List<QuarantinedDocument> quarantined();

    /** A value and the opaque version that {@link #replace} and {@link #delete(String, String)} compare. */
    record Versioned(byte[] value, String version) {
    }
}
