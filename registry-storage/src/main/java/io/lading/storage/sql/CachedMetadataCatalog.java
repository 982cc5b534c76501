package io.lading.storage.sql;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException;
import io.lading.core.image.ImageRecord;
import io.lading.core.image.ImageSummary;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.spi.MetadataCatalog;
import io.lading.storage.sql.CatalogCaches.ImageKey;
import io.lading.storage.sql.CatalogCaches.LinkKey;
import io.lading.storage.sql.CatalogCaches.TagKey;
import io.lading.storage.sql.CatalogCaches.TagPageKey;
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
import java.util.function.Consumer;

/**
 * A {@link MetadataCatalog} that keeps the hot-path look-ups of another one in memory: {@link #repository}
 * by name, {@link #link}, {@link #image} and {@link #tag}, absent results included (a HEAD on a missing
 * blob is frequent during pushes), and pages of {@link #tags}. Everything else passes through. Thread-safe.
 *
 * <h2>Memory</h2>
 * Five Caffeine caches bounded by estimated heap bytes ({@link CatalogCacheWeights}) share one budget of
 * {@code maxBytes}, split as {@link CatalogCaches} says; the bound holds when a call returns, not eventually.
 *
 * <h2>Read your writes</h2>
 * Every write calls the delegate, then, in {@code finally} (a write that fails may still have committed),
 * invalidates every entry it can have made stale and hands its {@link CatalogChange} to the listener
 * ({@link CatalogWrites}, {@link CatalogInvalidation}).
 * Writes that the contract says change nothing when they throw a {@link RegistryException} are still
 * invalidated the same way, except that a failed {@link #removeImage} then only drops the image entry.
 *
 * <p>A reader that loaded the old value from the delegate before a write committed never puts it into
 * the cache after the writer invalidated: a load is cached only if no invalidation of its key ran since
 * it started loading ({@link CatalogCacheStripes} says how and why that holds). Nothing stale remains once
 * a write method returns, assuming the delegate is linearizable, i.e. a read started after a write
 * returned sees it (true of one database primary, not of a lagging replica).
 *
 * <h2>Other nodes</h2>
 * A node sees another's writes once {@link #invalidate} is called with that node's change (on PostgreSQL,
 * {@link ChangeFeed}: LISTEN/NOTIFY, within one second); until then it may serve what it cached. A listener that lost its connection
 * and may have missed notifications must call {@link #invalidateAll}.
 */
public final class CachedMetadataCatalog implements MetadataCatalog {

    private final MetadataCatalog delegate;
    private final CatalogCaches caches;
    private final CatalogCacheStripes stripes = new CatalogCacheStripes();
    private final CatalogInvalidation invalidation;
    private final CatalogWrites writes;

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
        Objects.requireNonNull(listener, "listener");
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("maxBytes must be at least 1024: " + maxBytes);
        }
        this.caches = new CatalogCaches(maxBytes);
        this.invalidation = new CatalogInvalidation(caches, stripes);
        this.writes = new CatalogWrites(invalidation, listener);
    }

    // ---- repositories ----

    @Override
    public Optional<StoredRepository> repository(String name) {
        return stripes.read(caches.repositories, name, () -> delegate.repository(name));
    }

    @Override
    public Optional<StoredRepository> createRepository(String name, RepositoryRecord record) {
        return writes.write(() -> delegate.createRepository(name, record), r -> new RepositoryCreated(name));
    }

    @Override
    public Optional<StoredRepository> updateRepository(long id, long expectedVersion, RepositoryRecord record) {
        return writes.write(() -> delegate.updateRepository(id, expectedVersion, record),
                r -> new RepositoryUpdated(id, r == null ? null : r.map(StoredRepository::name).orElse(null)));
    }

    @Override
    public boolean deleteRepository(long id) {
        return writes.write(() -> delegate.deleteRepository(id), r -> new RepositoryDeleted(id));
    }

    @Override
    public List<String> repositoryNames(String after, int limit) {
        return delegate.repositoryNames(after, limit);
    }

    // ---- links ----

    @Override
    public Optional<BlobLink> link(long repository, Digest digest) {
        return stripes.read(caches.links, new LinkKey(repository, digest), () -> delegate.link(repository, digest));
    }

    @Override
    public void putLink(long repository, Digest digest, long size, Instant linkedAt) {
        writes.write(() -> {
            delegate.putLink(repository, digest, size, linkedAt);
            return null;
        }, r -> new LinkChanged(repository, digest));
    }

    @Override
    public void removeLink(long repository, Digest digest) {
        writes.write(() -> {
            delegate.removeLink(repository, digest);
            return null;
        }, r -> new LinkChanged(repository, digest));
    }

    @Override
    public int removeLinksEverywhere(Digest digest) {
        return writes.write(() -> delegate.removeLinksEverywhere(digest), r -> new LinksRemoved(digest));
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

    // ---- images ----

    @Override
    public Optional<ImageRecord> image(long repository, Digest digest) {
        return stripes.read(caches.images, new ImageKey(repository, digest), () -> delegate.image(repository, digest));
    }

    @Override
    public Optional<ImageRecord> putImage(long repository, ImageRecord record) {
        return writes.write(() -> delegate.putImage(repository, record), r -> new ImageChanged(repository, record.digest()));
    }

    @Override
    public void setLastPulledAt(long repository, Digest digest, Instant at) {
        writes.write(() -> {
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
            writes.changed(new ImageRemoved(repository, digest, nothingChanged ? List.of() : removed));
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
    public List<ImageSummary> imageSummariesNewestFirst(long repository, ImageSummary after, int limit) {
        return delegate.imageSummariesNewestFirst(repository, after, limit);
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
        return stripes.read(caches.tags, new TagKey(repository, tag), () -> delegate.tag(repository, tag));
    }

    @Override
    public List<TagEntry> tags(long repository, String after, int limit) {
        return stripes.read(caches.tagPages, new TagPageKey(repository, after, limit), () -> List.copyOf(delegate.tags(repository, after, limit)));
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
        return writes.write(() -> delegate.setTag(repository, tag, digest, at, mayMove), r -> new TagChanged(repository, tag));
    }

    @Override
    public boolean removeTag(long repository, String tag) {
        return writes.write(() -> delegate.removeTag(repository, tag), r -> new TagChanged(repository, tag));
    }

    // ---- invalidation ----

    /**
     * Drops the entries {@code change} can have made stale, without publishing it: for changes made by
     * another node (a notification listener calls this). Safe against loads in flight, as writes are.
     */
    public void invalidate(CatalogChange change) {
        invalidation.invalidate(change);
    }

    /** Drops every entry (e.g. after a notification connection was lost and changes may have been missed). */
    public void invalidateAll() {
        invalidation.invalidateAll();
    }

    /**
     * Counters: per cache ({@code repository.}, {@code link.}, {@code image.}, {@code tag.}, {@code tagPage.})
     * hits, misses, evictions, entries and estimated bytes, their totals without prefix, {@code maxBytes},
     * {@code skippedPuts} (loads not cached because a write raced them) and {@code listenerFailures}.
     */
    public Map<String, Long> metrics() {
        Map<String, Long> m = new LinkedHashMap<>();
        caches.metrics(m);
        m.put("skippedPuts", stripes.skippedPuts());
        m.put("listenerFailures", writes.listenerFailures());
        return m;
    }

    /** Runs pending maintenance (evictions) now; for tests and metrics that want exact sizes. */
    void cleanUp() {
        caches.cleanUp();
    }
}
