package io.lading.storage.sql;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How {@link CachedMetadataCatalog} keeps a load that raced a write out of its caches: stripes of a lock
 * and a generation each, read by every cache miss and advanced by every invalidation.
 *
 * <p>The classic race is a reader that loads the old value from the delegate before a write commits and
 * puts it into the cache after the writer invalidated. Caffeine's {@code get(key, loader)} would close it
 * only if {@code invalidate} waited for a load in flight, which its Javadoc leaves undefined ("the behavior
 * of this operation is undefined for an entry that is being loaded"), so this class does not depend on it:
 * a reader publishes a loaded value only if no invalidation of its key ran since it started loading.
 * Keys hash to one of {@value #STRIPES} stripes, each a lock and a generation. A reader that misses reads
 * the generation <em>before</em> it asks the delegate, and puts the value under the stripe lock only if
 * the generation is unchanged. A writer, after the delegate's write returned, increments the generation
 * and invalidates the key under the same lock. Take a reader whose delegate read saw the state before the
 * write's commit; it read the generation before that read, so before the commit, so before the writer's
 * increment. Its put either took the lock first (the value is in the cache before the writer invalidates
 * it) or second (it sees the new generation and does not put). Either way nothing stale remains once the
 * write method returns. A reader that read the generation after the increment asked the delegate after
 * the commit, so its value is fresh. Writes that drop many entries (deleting a repository, removing a
 * blob's links everywhere, a removal whose tags are unknown) increment every stripe, one at a time, then
 * scan the affected cache's keys: a put that came before a stripe's increment is in the map before the
 * scan starts (Caffeine's map iterators see every entry present when they start), and one after fails its
 * check. The price of striping is only that a write can keep an unrelated load of its stripe from being
 * cached once. This assumes the delegate is linearizable, i.e. a read started after a write returned
 * sees it (true of one database primary, not of a lagging replica).
 */
final class CatalogCacheStripes {

    static final int STRIPES = 64;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
    private final LongAdder skippedPuts = new LongAdder();

    CatalogCacheStripes() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Loads that were not cached because a write raced them. */
    long skippedPuts() {
        return skippedPuts.sum();
    }

    /** The cached value of {@code key}, or {@code load}'s, cached unless an invalidation of its stripe ran meanwhile. */
    <K, V> V read(Cache<K, V> cache, K key, Supplier<V> load) {
        V cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        int stripe = stripe(key);
        long generation = generations.get(stripe); // before the delegate read: see the class Javadoc
        V loaded = load.get();
        ReentrantLock lock = locks[stripe];
        lock.lock();
        try {
            if (generations.get(stripe) == generation) {
                cache.put(key, loaded);
            } else {
                skippedPuts.increment();
            }
        } finally {
            lock.unlock();
        }
        return loaded;
    }

    /** Advances the key's stripe and drops the key. */
    <K> void invalidateKey(Cache<K, ?> cache, K key) {
        int stripe = stripe(key);
        ReentrantLock lock = locks[stripe];
        lock.lock();
        try {
            generations.incrementAndGet(stripe);
            cache.invalidate(key);
        } finally {
            lock.unlock();
        }
    }

    /** Advances every stripe, then drops the entries that are {@code stale}. */
    <K, V> void invalidateWhere(Cache<K, V> cache, BiPredicate<K, V> stale) {
        advanceAllGenerations();
        removeWhere(cache, stale);
    }

    /** Drops the entries that are {@code stale}; the caller advanced every stripe first. */
    static <K, V> void removeWhere(Cache<K, V> cache, BiPredicate<K, V> stale) {
        Predicate<Map.Entry<K, V>> test = e -> stale.test(e.getKey(), e.getValue());
        cache.asMap().entrySet().removeIf(test);
    }

    /** Advances every stripe, one at a time, so that no load begun before is cached. */
    void advanceAllGenerations() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i].lock();
            try {
                generations.incrementAndGet(i);
            } finally {
                locks[i].unlock();
            }
        }
    }

    private static int stripe(Object key) {
        return (key.hashCode() * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(STRIPES));
    }
}
