package io.lading.storage.sql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException;
import io.lading.core.image.ImageRecord;
import io.lading.core.image.ImageSummary;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.spi.MetadataCatalog;
import io.lading.storage.sql.CatalogChange.ImageChanged;
import io.lading.storage.sql.CatalogChange.ImageRemoved;
import io.lading.storage.sql.CatalogChange.LinkChanged;
import io.lading.storage.sql.CatalogChange.LinksRemoved;
import io.lading.storage.sql.CatalogChange.RepositoryCreated;
import io.lading.storage.sql.CatalogChange.RepositoryDeleted;
import io.lading.storage.sql.CatalogChange.RepositoryUpdated;
import io.lading.storage.sql.CatalogChange.TagChanged;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToLongBiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MetadataCatalog} that keeps the hot-path look-ups of another one in memory: {@link #repository}
 * by name, {@link #link}, {@link #image} and {@link #tag}, absent results included (a HEAD on a missing
 * blob is frequent during pushes). Everything else passes through. Thread-safe.
 *
 * <h2>Memory</h2>
 * Four Caffeine caches bounded by estimated heap bytes ({@link CatalogCacheWeights}), sharing one budget
 * {@code maxBytes}: images 50% (their weight grows with blobs, children and annotations), links 25%, tags
 * 20%, repositories 5%. Maintenance (eviction) runs on the calling thread, so the bound holds when a call
 * returns, not eventually.
 *
 * <h2>Read your writes</h2>
 * Every write calls the delegate, then, in {@code finally} (a write that fails may still have committed),
 * invalidates every entry it can have made stale and hands its {@link CatalogChange} to the listener.
 * Writes that the contract says change nothing when they throw a {@link RegistryException} are still
 * invalidated the same way, except that a failed {@link #removeImage} then only drops the image entry.
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
 *
 * <h2>Other nodes</h2>
 * A node sees another's writes once {@link #invalidate} is called with that node's change (on PostgreSQL,
 * {@link ChangeFeed}: LISTEN/NOTIFY, within one second); until then it may serve what it cached. A listener that lost its connection
 * and may have missed notifications must call {@link #invalidateAll}.
 */
public final class CachedMetadataCatalog implements MetadataCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(CachedMetadataCatalog.class);
    static final int STRIPES = 64;

    private record LinkKey(long repository, Digest digest) {
    }

    private record ImageKey(long repository, Digest digest) {
    }

    private record TagKey(long repository, String tag) {
    }

    /** One page of a repository's tag list, as asked for. */
    private record TagPageKey(long repository, String after, int limit) {
    }

    private final MetadataCatalog delegate;
    private final Consumer<CatalogChange> listener;
    private final long maxBytes;
    private final Cache<String, Optional<StoredRepository>> repositories;
    private final Cache<LinkKey, Optional<BlobLink>> links;
    private final Cache<ImageKey, Optional<ImageRecord>> images;
    private final Cache<TagKey, Optional<Digest>> tags;
    private final Cache<TagPageKey, List<TagEntry>> tagPages;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
    private final LongAdder skippedPuts = new LongAdder();
    private final LongAdder listenerFailures = new LongAdder();

    /** A cache over {@code delegate} in about {@code maxBytes} of heap, publishing no changes. */
    public CachedMetadataCatalog(MetadataCatalog delegate, long maxBytes) {
        this(delegate, maxBytes, change -> { });
    }

    /**
     * A cache over {@code delegate} in about {@code maxBytes} of heap, handing each local write's change
     * to {@code listener} after it invalidated its own entries (a listener that throws is logged, and the
     * write still returns normally).
     */
    public CachedMetadataCatalog(MetadataCatalog delegate, long maxBytes, Consumer<CatalogChange> listener) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("maxBytes must be at least 1024: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.images = cache(maxBytes * 2 / 5, (k, v) -> CatalogCacheWeights.imageEntry(k.digest(), v));
        this.tagPages = cache(maxBytes / 10, (k, v) -> {
            long w = CatalogCacheWeights.string(k.after() == null ? "" : k.after());
            for (TagEntry e : v) {
                w += CatalogCacheWeights.tagEntry(e.tag(), Optional.of(e.digest()));
            }
            return w;
        });
        this.links = cache(maxBytes / 4, (k, v) -> CatalogCacheWeights.linkEntry(k.digest(), v));
        this.tags = cache(maxBytes / 5, (k, v) -> CatalogCacheWeights.tagEntry(k.tag(), v));
        this.repositories = cache(maxBytes / 20, CatalogCacheWeights::repositoryEntry);
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    private static <K, V> Cache<K, V> cache(long bytes, ToLongBiFunction<K, V> weight) {
        return Caffeine.newBuilder()
                .maximumWeight(bytes)
                .weigher((K k, V v) -> CatalogCacheWeights.clamp(weight.applyAsLong(k, v)))
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    // ---- repositories ----

    @Override
    public Optional<StoredRepository> repository(String name) {
        return read(repositories, name, () -> delegate.repository(name));
    }

    @Override
    public Optional<StoredRepository> createRepository(String name, RepositoryRecord record) {
        return write(() -> delegate.createRepository(name, record), r -> new RepositoryCreated(name));
    }

    @Override
    public Optional<StoredRepository> updateRepository(long id, long expectedVersion, RepositoryRecord record) {
        return write(() -> delegate.updateRepository(id, expectedVersion, record),
                r -> new RepositoryUpdated(id, r == null ? null : r.map(StoredRepository::name).orElse(null)));
    }

    @Override
    public boolean deleteRepository(long id) {
        return write(() -> delegate.deleteRepository(id), r -> new RepositoryDeleted(id));
    }

    @Override
    public List<String> repositoryNames(String after, int limit) {
        return delegate.repositoryNames(after, limit);
    }

    // ---- links ----

    @Override
    public Optional<BlobLink> link(long repository, Digest digest) {
        return read(links, new LinkKey(repository, digest), () -> delegate.link(repository, digest));
    }

    @Override
    public void putLink(long repository, Digest digest, long size, Instant linkedAt) {
        write(() -> {
            delegate.putLink(repository, digest, size, linkedAt);
            return null;
        }, r -> new LinkChanged(repository, digest));
    }

    @Override
    public void removeLink(long repository, Digest digest) {
        write(() -> {
            delegate.removeLink(repository, digest);
            return null;
        }, r -> new LinkChanged(repository, digest));
    }

    @Override
    public int removeLinksEverywhere(Digest digest) {
        return write(() -> delegate.removeLinksEverywhere(digest), r -> new LinksRemoved(digest));
    }

    @Override
    public Optional<Instant> newestLink(Digest digest) {
        return delegate.newestLink(digest);
    }

    @Override
    public boolean referencedInRepository(long repository, Digest blob) {
        return delegate.referencedInRepository(repository, blob);
    }

    @Override
    public boolean referencedAnywhere(Digest blob) {
        return delegate.referencedAnywhere(blob);
    }

    @Override
    public Set<Digest> referencedAmong(java.util.Collection<Digest> blobs) {
        return delegate.referencedAmong(blobs);
    }

    // ---- images ----

    @Override
    public Optional<ImageRecord> image(long repository, Digest digest) {
        return read(images, new ImageKey(repository, digest), () -> delegate.image(repository, digest));
    }

    @Override
    public Optional<ImageRecord> putImage(long repository, ImageRecord record) {
        return write(() -> delegate.putImage(repository, record), r -> new ImageChanged(repository, record.digest()));
    }

    @Override
    public void setLastPulledAt(long repository, Digest digest, Instant at) {
        write(() -> {
            delegate.setLastPulledAt(repository, digest, at);
            return null;
        }, r -> new ImageChanged(repository, digest));
    }

    @Override
    public List<String> removeImage(long repository, Digest digest) {
        List<String> removed = null;
        boolean nothingChanged = false;
        try {
            removed = delegate.removeImage(repository, digest);
            return removed;
        } catch (RegistryException e) {
            // ReferencedByIndex, ManifestUnknown: the contract says nothing changed
            nothingChanged = true;
            throw e;
        } finally {
            changed(new ImageRemoved(repository, digest, nothingChanged ? List.of() : removed));
        }
    }

    @Override
    public List<ImageRecord> images(long repository, Digest after, int limit) {
        return delegate.images(repository, after, limit);
    }

    @Override
    public List<ImageSummary> imageSummaries(long repository, Digest after, int limit) {
        return delegate.imageSummaries(repository, after, limit);
    }

    @Override
    public Set<Digest> listedByIndex(long repository, java.util.Collection<Digest> digests) {
        return delegate.listedByIndex(repository, digests);
    }

    @Override
    public boolean hasImages(long repository) {
        return delegate.hasImages(repository);
    }

    @Override
    public Set<Digest> parents(long repository, Digest child) {
        return delegate.parents(repository, child);
    }

    @Override
    public List<Digest> referrers(long repository, Digest subject) {
        return delegate.referrers(repository, subject);
    }

    // ---- tags ----

    @Override
    public Optional<Digest> tag(long repository, String tag) {
        return read(tags, new TagKey(repository, tag), () -> delegate.tag(repository, tag));
    }

    @Override
    public List<TagEntry> tags(long repository, String after, int limit) {
        return read(tagPages, new TagPageKey(repository, after, limit), () -> List.copyOf(delegate.tags(repository, after, limit)));
    }

    @Override
    public List<String> tagsOf(long repository, Digest digest) {
        return delegate.tagsOf(repository, digest);
    }

    @Override
    public Map<Digest, List<String>> tagsOf(long repository, java.util.Collection<Digest> digests) {
        return delegate.tagsOf(repository, digests);
    }

    @Override
    public Optional<Digest> setTag(long repository, String tag, Digest digest, Instant at, boolean mayMove) {
        return write(() -> delegate.setTag(repository, tag, digest, at, mayMove), r -> new TagChanged(repository, tag));
    }

    @Override
    public boolean removeTag(long repository, String tag) {
        return write(() -> delegate.removeTag(repository, tag), r -> new TagChanged(repository, tag));
    }

    // ---- invalidation ----

    /**
     * Drops the entries {@code change} can have made stale, without publishing it: for changes made by
     * another node (a notification listener calls this). Safe against loads in flight, as writes are.
     */
    public void invalidate(CatalogChange change) {
        switch (change) {
            case RepositoryCreated c -> invalidateKey(repositories, c.name());
            case RepositoryUpdated c -> {
                if (c.name() != null) {
                    invalidateKey(repositories, c.name());
                } else {
                    invalidateWhere(repositories, (name, v) -> v.isPresent() && v.get().id() == c.id());
                }
            }
            case RepositoryDeleted c -> {
                long id = c.id();
                advanceAllGenerations();
                removeWhere(repositories, (name, v) -> v.isPresent() && v.get().id() == id);
                removeWhere(links, (k, v) -> k.repository() == id);
                removeWhere(images, (k, v) -> k.repository() == id);
                removeWhere(tags, (k, v) -> k.repository() == id);
                removeWhere(tagPages, (k, v) -> k.repository() == id);
            }
            case LinkChanged c -> invalidateKey(links, new LinkKey(c.repository(), c.digest()));
            case LinksRemoved c -> invalidateWhere(links, (k, v) -> k.digest().equals(c.digest()));
            case ImageChanged c -> invalidateKey(images, new ImageKey(c.repository(), c.digest()));
            case ImageRemoved c -> {
                invalidateKey(images, new ImageKey(c.repository(), c.digest()));
                invalidateWhere(tagPages, (k, v) -> k.repository() == c.repository());
                if (c.tags() != null) {
                    for (String tag : c.tags()) {
                        invalidateKey(tags, new TagKey(c.repository(), tag));
                    }
                } else {
                    Optional<Digest> named = Optional.of(c.digest());
                    invalidateWhere(tags, (k, v) -> k.repository() == c.repository() && v.equals(named));
                }
            }
            case TagChanged c -> {
                invalidateKey(tags, new TagKey(c.repository(), c.tag()));
                // every page of the repository's list may hold the tag or move because of it
                invalidateWhere(tagPages, (k, v) -> k.repository() == c.repository());
            }
        }
    }

    /** Drops every entry (e.g. after a notification connection was lost and changes may have been missed). */
    public void invalidateAll() {
        advanceAllGenerations();
        repositories.invalidateAll();
        links.invalidateAll();
        images.invalidateAll();
        tags.invalidateAll();
        tagPages.invalidateAll();
    }

    /**
     * Counters: per cache ({@code repository.}, {@code link.}, {@code image.}, {@code tag.}) hits, misses,
     * evictions, entries and estimated bytes, their totals without prefix, {@code maxBytes},
     * {@code skippedPuts} (loads not cached because a write raced them) and {@code listenerFailures}.
     */
    public Map<String, Long> metrics() {
        Map<String, Long> m = new LinkedHashMap<>();
        long hits = 0;
        long misses = 0;
        long evictions = 0;
        long bytes = 0;
        for (Map.Entry<String, Cache<?, ?>> e : caches().entrySet()) {
            Cache<?, ?> c = e.getValue();
            CacheStats s = c.stats();
            long weight = weightedSize(c);
            m.put(e.getKey() + ".hits", s.hitCount());
            m.put(e.getKey() + ".misses", s.missCount());
            m.put(e.getKey() + ".evictions", s.evictionCount());
            m.put(e.getKey() + ".entries", c.estimatedSize());
            m.put(e.getKey() + ".bytes", weight);
            hits += s.hitCount();
            misses += s.missCount();
            evictions += s.evictionCount();
            bytes += weight;
        }
        m.put("hits", hits);
        m.put("misses", misses);
        m.put("evictions", evictions);
        m.put("bytes", bytes);
        m.put("maxBytes", maxBytes);
        m.put("skippedPuts", skippedPuts.sum());
        m.put("listenerFailures", listenerFailures.sum());
        return m;
    }

    /** Runs pending maintenance (evictions) now; for tests and metrics that want exact sizes. */
    void cleanUp() {
        caches().values().forEach(Cache::cleanUp);
    }

    private Map<String, Cache<?, ?>> caches() {
        Map<String, Cache<?, ?>> all = new LinkedHashMap<>();
        all.put("repository", repositories);
        all.put("link", links);
        all.put("image", images);
        all.put("tag", tags);
        all.put("tagPage", tagPages);
        return all;
    }

    private static long weightedSize(Cache<?, ?> c) {
        return c.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    // ---- the protocol ----

    private <K, V> V read(Cache<K, V> cache, K key, Supplier<V> load) {
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

    private <T> T write(Supplier<T> op, Function<T, CatalogChange> change) {
        T result = null;
        try {
            result = op.get();
            return result;
        } finally {
            changed(change.apply(result));
        }
    }

    private void changed(CatalogChange change) {
        invalidate(change);
        try {
            listener.accept(change);
        } catch (RuntimeException e) {
            listenerFailures.increment();
            LOG.warn("Could not publish catalog change {}: {}", change, e.toString());
        }
    }

    private <K> void invalidateKey(Cache<K, ?> cache, K key) {
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

    private <K, V> void invalidateWhere(Cache<K, V> cache, BiPredicate<K, V> stale) {
        advanceAllGenerations();
        removeWhere(cache, stale);
    }

    private static <K, V> void removeWhere(Cache<K, V> cache, BiPredicate<K, V> stale) {
        Predicate<Map.Entry<K, V>> test = e -> stale.test(e.getKey(), e.getValue());
        cache.asMap().entrySet().removeIf(test);
    }

    private void advanceAllGenerations() {
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
