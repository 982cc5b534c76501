package io.lading.lifecycle.gc;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.lading.core.repository.MetadataJson;
import io.lading.core.spi.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A lease in the shared store that lets one node at a time run garbage collection: created atomically
 * when absent, taken over by compare-and-swap when expired, renewed by its holder. Thread-safe.
 */
public final class GcLease {

    static final String KEY = "gc/lease";

    private final MetadataStore store;
    private final String owner;
    private final Clock clock;
    private final Duration ttl;

    record Lease(String owner, Instant until) {
        @JsonCreator
        Lease(@JsonProperty("owner") String owner, @JsonProperty("until") Instant until) {
            this.owner = owner;
            this.until = until;
        }
    }

    public GcLease(MetadataStore store, String owner, Clock clock, Duration ttl) {
        this.store = store;
        this.owner = owner;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** Takes or renews the lease; false if another owner holds an unexpired one. */
    public boolean acquire() {
        Instant now = clock.instant();
        byte[] mine = MetadataJson.write(new Lease(owner, now.plus(ttl)));
        Optional<MetadataStore.Versioned> current = store.get(KEY);
        if (current.isEmpty()) {
            return store.createIfAbsent(KEY, mine);
        }
        Lease held = MetadataJson.read(current.get().value(), Lease.class);
        if (!held.owner().equals(owner) && held.until().isAfter(now)) {
            return false;
        }
        return store.replace(KEY, current.get().version(), mine);
    }

    /** Gives the lease up if this node holds it. */
    public void release() {
        store.get(KEY).ifPresent(v -> {
            if (MetadataJson.read(v.value(), Lease.class).owner().equals(owner)) {
                store.delete(KEY, v.version());
            }
        });
    }
}
