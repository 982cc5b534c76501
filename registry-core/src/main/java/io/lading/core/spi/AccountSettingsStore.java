package io.lading.core.spi;

import io.lading.core.account.AccountSettings;
import java.util.Optional;

/**
 * Where each account's registry-level settings ({@link AccountSettings}) are kept, shared by every node,
 * with the two primitives that make concurrent writers safe: atomic create and compare-and-swap on a
 * version. A row's version is 1 when created and grows by one with every replace.
 *
 * <p>Fail closed: a stored part that cannot be read (the scanning configuration does not parse) makes
 * {@link #get} throw {@code StorageFailure}; it is never read as defaults, because the same row holds the
 * registry policy, whose Deny statements must not silently stop applying.
 *
 * <p>An implementation may serve {@link #get} from a cache, but after {@link #createIfAbsent} or
 * {@link #replace} returned false the next {@link #get} must read the store, so that a compare-and-swap
 * retry loop makes progress. Thread-safe.
 */
public interface AccountSettingsStore {

    /** Settings as stored, with the version {@link #replace} compares. */
    record Versioned(AccountSettings settings, long version) {
    }

    /** The account's settings, or empty if the account was never configured. */
    Optional<Versioned> get(String account);

    /** Creates the account's settings if it has none. Returns false, changing nothing, if it has. */
    boolean createIfAbsent(String account, AccountSettings settings);

    /**
     * Replaces the account's settings if their version is {@code expectedVersion}. Returns false, changing
     * nothing, if the account has none or another writer changed them.
     */
    boolean replace(String account, long expectedVersion, AccountSettings settings);
}
