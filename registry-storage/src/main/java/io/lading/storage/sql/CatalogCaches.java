package io.lading.storage.sql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.lading.core.digest.Digest;
import io.lading.core.image.ImageRecord;
import io.lading.core.spi.MetadataCatalog.BlobLink;
import io.lading.core.spi.MetadataCatalog.StoredRepository;
import io.lading.core.spi.MetadataCatalog.TagEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongBiFunction;

/**
 * The Caffeine caches of {@link CachedMetadataCatalog}, their keys and their counters. The caches share one
 * budget of {@code maxBytes} estimated heap bytes ({@link CatalogCacheWeights}): images 40% (their weight
 * grows with blobs, children and annotations), links 25%, tags 20%, pages of tags 10%, repositories 5%.
 * Maintenance (eviction) runs on the calling thread, so the bound holds when a call returns, not eventually.
 */
final class CatalogCaches {

    record LinkKey(long repository, Digest digest) {
    }

    record ImageKey(long repository, Digest digest) {
    }

    record TagKey(long repository, String tag) {
    }

    /** One page of a repository's tag list, as asked for. */
    record TagPageKey(long repository, String after, int limit) {
    }

    private final long maxBytes;
    final Cache<String, Optional<StoredRepository>> repositories;
    final Cache<LinkKey, Optional<BlobLink>> links;
    final Cache<ImageKey, Optional<ImageRecord>> images;
    final Cache<TagKey, Optional<Digest>> tags;
    final Cache<TagPageKey, List<TagEntry>> tagPages;

    CatalogCaches(long maxBytes) {
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
    }

    private static <K, V> Cache<K, V> cache(long bytes, ToLongBiFunction<K, V> weight) {
        return Caffeine.newBuilder()
                .maximumWeight(bytes)
                .weigher((K k, V v) -> CatalogCacheWeights.clamp(weight.applyAsLong(k, v)))
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    /** Drops every entry of every cache (the caller advanced every stripe first). */
    void invalidateAll() {
        repositories.invalidateAll();
        links.invalidateAll();
        images.invalidateAll();
        tags.invalidateAll();
        tagPages.invalidateAll();
    }

    /**
     * Counters: per cache ({@code repository.}, {@code link.}, {@code image.}, {@code tag.}, {@code tagPage.})
     * hits, misses, evictions, entries and estimated bytes, their totals without prefix, and {@code maxBytes},
     * added to {@code m} in this order.
     */
    void metrics(Map<String, Long> m) {
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
}
