package io.lading.core.manifest;

import io.lading.core.digest.Digest;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Manifest bytes held in memory so that pulls never touch the store, bounded by a byte budget. When
 * the budget is exceeded, arbitrary entries are dropped (they are re-read from the blob store on the
 * next miss). Thread-safe; callers must not modify the arrays they get or put.
 */
public final class ManifestCache {

    private final long budget;
    private final ConcurrentHashMap<Digest, byte[]> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    public ManifestCache(long budgetBytes) {
        this.budget = budgetBytes;
    }

    public byte[] get(Digest contentBlob) {
        return entries.get(contentBlob);
    }

    public void put(Digest contentBlob, byte[] content) {
        if (content.length > budget) {
            return;
        }
        if (entries.putIfAbsent(contentBlob, content) == null) {
            long total = bytes.addAndGet(content.length);
            if (total > budget) {
                evict();
            }
        }
    }

    public void remove(Digest contentBlob) {
        byte[] old = entries.remove(contentBlob);
        if (old != null) {
            bytes.addAndGet(-old.length);
        }
    }

    private void evict() {
        Iterator<Digest> it = entries.keySet().iterator();
        while (bytes.get() > budget * 3 / 4 && it.hasNext()) {
            remove(it.next());
        }
    }
}
