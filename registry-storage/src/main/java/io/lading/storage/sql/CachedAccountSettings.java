package io.lading.storage.sql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.lading.core.account.AccountSettings;
import io.lading.core.spi.AccountSettingsStore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A memory cache in front of a shared {@link AccountSettingsStore} (Caffeine): the registry policy is
 * read on every authorised request, the store at most once per {@code maxAge} per account.
 *
 * <p>Staleness: an entry is dropped {@code maxAge} after it was read, so a change written by another
 * node applies here within {@code maxAge} (the bound is one second). This node reads its own
 * writes at once: a successful create or replace puts the written settings in the cache (never over a
 * newer version). A create or replace that returned false drops the entry, so the caller's next read
 * sees the store. Nothing unreadable is cached (a load that throws caches nothing), so a repair in the
 * store takes effect at the next read. At most {@code maxAccounts} entries. Thread-safe.
 */
public final class CachedAccountSettings implements AccountSettingsStore {

    /** The default bound on an entry's age: the cross-node staleness bound. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

    private static final int MAX_ACCOUNTS = 10_000;

    /** What the store said about an account: its settings, or that it has none. */
    private record Entry(Optional<Versioned> stored) {
        long version() {
            return stored.map(Versioned::version).orElse(0L);
        }
    }

    private final AccountSettingsStore store;
    private final Cache<String, Entry> cache;

    public CachedAccountSettings(AccountSettingsStore store) {
        this(store, DEFAULT_MAX_AGE, Ticker.systemTicker());
    }

    /** @param ticker the time source of entry ages (tests pass a fake one) */
    public CachedAccountSettings(AccountSettingsStore store, Duration maxAge, Ticker ticker) {
        this.store = Objects.requireNonNull(store, "store");
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_ACCOUNTS)
                .expireAfterWrite(maxAge)
                .ticker(ticker)
                .build();
    }

    @Override
    public Optional<Versioned> get(String account) {
        return cache.get(account, a -> new Entry(store.get(a))).stored();
    }

    @Override
    public boolean createIfAbsent(String account, AccountSettings settings) {
        return written(account, store.createIfAbsent(account, settings), 1, settings);
    }

    @Override
    public boolean replace(String account, long expectedVersion, AccountSettings settings) {
        return written(account, store.replace(account, expectedVersion, settings), expectedVersion + 1, settings);
    }

    private boolean written(String account, boolean written, long version, AccountSettings settings) {
        if (!written) {
            cache.invalidate(account);
            return false;
        }
        Entry fresh = new Entry(Optional.of(new Versioned(settings, version)));
        cache.asMap().merge(account, fresh, (old, mine) -> old.version() > mine.version() ? old : mine);
        return true;
    }
}
