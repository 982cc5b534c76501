package io.lading.auth.token;

import io.lading.core.spi.SecretStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A secret store in a map, for tests. Thread-safe; counts reads so tests can see caching. */
class InMemorySecrets implements SecretStore {

    private final Map<String, Versioned> entries = new ConcurrentHashMap<>();
    final AtomicInteger gets = new AtomicInteger();

    @Override
    public Optional<Versioned> get(String name) {
        gets.incrementAndGet();
        return Optional.ofNullable(entries.get(SecretStore.checkName(name)));
    }

    @Override
    public boolean createIfAbsent(String name, byte[] value) {
        return entries.putIfAbsent(SecretStore.checkName(name), new Versioned(value.clone(), 1)) == null;
    }

    @Override
    public boolean replace(String name, long expectedVersion, byte[] value) {
        Versioned current = entries.get(name);
        return current != null && current.version() == expectedVersion
                && entries.replace(name, current, new Versioned(value.clone(), expectedVersion + 1));
    }

    /** Writes unconditionally (to plant a document). */
    void put(String name, byte[] value) {
        entries.merge(name, new Versioned(value.clone(), 1), (old, mine) -> new Versioned(mine.value(), old.version() + 1));
    }
}
