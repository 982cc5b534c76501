package io.lading.auth.token;

import io.lading.core.spi.MetadataStore;
import io.lading.core.spi.QuarantinedDocument;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;

/** A metadata store in a map, for tests. Thread-safe; counts reads so tests can see caching. */
class InMemoryMetadataStore implements MetadataStore {

    private final Map<String, Versioned> entries = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();
    final AtomicInteger gets = new AtomicInteger();

    @Override
    public Optional<Versioned> get(String key) {
        gets.incrementAndGet();
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public boolean createIfAbsent(String key, byte[] value) {
        return entries.putIfAbsent(key, versioned(value)) == null;
    }

    @Override
    public boolean replace(String key, String expectedVersion, byte[] value) {
        Versioned current = entries.get(key);
        return current != null && current.version().equals(expectedVersion)
                && entries.replace(key, current, versioned(value));
    }

    @Override
    public void put(String key, byte[] value) {
        entries.put(key, versioned(value));
    }

    @Override
    public boolean delete(String key, String expectedVersion) {
        Versioned current = entries.get(key);
        return current != null && current.version().equals(expectedVersion) && entries.remove(key, current);
    }

    @Override
    public void delete(String key) {
        entries.remove(key);
    }

    @Override
    public List<String> list(String prefix) {
        return entries.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    private final List<QuarantinedDocument> quarantine = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Optional<QuarantinedDocument> quarantine(String key, String reason, Instant now) {
        return Optional.ofNullable(entries.remove(key)).map(v -> {
            QuarantinedDocument doc = new QuarantinedDocument(key, key, "quarantine/" + key, reason, now);
            quarantine.add(doc);
            return doc;
        });
    }

    @Override
    public List<QuarantinedDocument> quarantined() {
        return List.copyOf(quarantine);
    }

    private Versioned versioned(byte[] value) {
        return new Versioned(value.clone(), Long.toString(versions.incrementAndGet()));
    }
}
