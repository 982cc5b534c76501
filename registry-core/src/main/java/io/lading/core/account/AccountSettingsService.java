package io.lading.core.account;

import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.spi.AccountSettingsStore;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Registry-level settings per account (registry policy, registry scanning configuration), kept in an
 * {@link AccountSettingsStore} that every node shares. Reads go to the store, which is expected to cache
 * them (the SQL store's cache bounds an entry's age, so a change made on another node applies here within
 * that bound); writes go to the store by atomic create or compare-and-swap, retrying on concurrent
 * changes. Thread-safe.
 *
 * <p>Settings that cannot be read are never replaced by defaults: they hold the registry policy, whose
 * Deny statements must not silently stop applying. Every read and write of that account's settings fails
 * with {@link StorageFailure} until they are repaired in place; nothing unreadable is cached, so the
 * repair takes effect without a restart.
 */
public final class AccountSettingsService {

    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    private final AccountSettingsStore store;

    public AccountSettingsService(AccountSettingsStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** @throws IllegalArgumentException unless {@code accountId} is 12 digits */
    public static String checkAccount(String accountId) {
        if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("account ids are 12 digits: " + accountId);
        }
        return accountId;
    }

    /**
     * The account's settings; an account never configured has {@link AccountSettings#defaults()}.
     *
     * @throws StorageFailure if the stored settings cannot be read (fail closed: see the class comment)
     */
    public AccountSettings get(String accountId) {
        return store.get(checkAccount(accountId)).map(AccountSettingsStore.Versioned::settings)
                .orElse(AccountSettings.defaults());
    }

    /**
     * Changes the account's settings atomically and returns the new settings. {@code change} may be
     * called more than once (once per attempt) and must not have side effects; it may throw to abort.
     */
    public AccountSettings update(String accountId, UnaryOperator<AccountSettings> change) {
        checkAccount(accountId);
        while (true) {
            Optional<AccountSettingsStore.Versioned> current = store.get(accountId);
            if (current.isEmpty()) {
                AccountSettings next = change.apply(AccountSettings.defaults());
                if (store.createIfAbsent(accountId, next)) {
                    return next;
                }
            } else {
                AccountSettings next = change.apply(current.get().settings());
                if (store.replace(accountId, current.get().version(), next)) {
                    return next;
                }
            }
        }
    }
}
