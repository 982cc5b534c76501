package io.lading.core.account;

import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.repository.MetadataJson;
import io.lading.core.spi.MetadataStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Registry-level settings per account (registry policy, registry scanning configuration), one document
 * per account under {@code accounts/<accountId>/settings}. Reads come from memory after the first
 * load; writes go to the store by atomic create or compare-and-swap, retrying on concurrent changes,
 * and then to memory. Thread-safe.
 *
 * <p>A settings document that cannot be read is not quarantined and not replaced by defaults: it holds
 * the registry policy, whose Deny statements must not silently stop applying. Every read and write of
 * that account's settings fails with {@link StorageFailure} naming the document until it is repaired in
 * place; nothing unreadable is cached, so the repair takes effect without a restart.
 */
public final class AccountSettingsService {

    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    private final MetadataStore store;
    private final ConcurrentMap<String, AccountSettings> cache = new ConcurrentHashMap<>();

    public AccountSettingsService(MetadataStore store) {
        this.store = store;
    }

    /** The metadata key of an account's settings document. */
    public static String key(String accountId) {
        if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("account ids are 12 digits: " + accountId);
        }
        return "accounts/" + accountId + "/settings";
    }

    /** The account's settings; an account never configured has {@link AccountSettings#defaults()}. */
    public AccountSettings get(String accountId) {
        AccountSettings cached = cache.get(accountId);
        if (cached != null) {
            return cached;
        }
        return cache.computeIfAbsent(accountId, id -> load(id).map(v -> read(id, v.value()))
                .orElse(AccountSettings.defaults()));
    }

    /**
     * Changes the account's settings atomically and returns the new settings. {@code change} may be
     * called more than once (once per attempt) and must not have side effects; it may throw to abort.
     */
    public AccountSettings update(String accountId, UnaryOperator<AccountSettings> change) {
        String key = key(accountId);
        return cache.compute(accountId, (id, ignored) -> {
            while (true) {
                Optional<MetadataStore.Versioned> current = store.get(key);
                if (current.isEmpty()) {
                    AccountSettings next = change.apply(AccountSettings.defaults());
                    if (store.createIfAbsent(key, MetadataJson.write(next))) {
                        return next;
                    }
                } else {
                    AccountSettings next = change.apply(read(id, current.get().value()));
                    if (store.replace(key, current.get().version(), MetadataJson.write(next))) {
                        return next;
                    }
                }
            }
        });
    }

    private Optional<MetadataStore.Versioned> load(String accountId) {
        return store.get(key(accountId));
    }

    /** @throws StorageFailure if the document does not parse (fail closed: see the class comment) */
    private static AccountSettings read(String accountId, byte[] value) {
        try {
            return MetadataJson.read(value, AccountSettings.class);
        } catch (RuntimeException e) {
            throw new StorageFailure("the settings document " + key(accountId) + " (registry policy and scanning"
                    + " configuration) cannot be read; every request that needs it is refused until it is repaired",
                    e.getCause() != null ? e.getCause() : e);
        }
    }
}
