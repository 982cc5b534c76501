package io.lading.core.repository;

import io.lading.core.digest.Digest;
import io.lading.core.image.ImageRecord;
import io.lading.core.image.ImageSummary;
import io.lading.core.mediatype.MediaTypes;
import io.lading.core.spi.MetadataCatalog;
import io.lading.core.spi.MetadataCatalog.BlobLink;
import io.lading.core.spi.MetadataCatalog.TagEntry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One repository as the services see it: its identity and settings as read from the
 * {@link MetadataCatalog}, the process-wide lock its writers hold, and queries over its tags, images and
 * blob links, each answered by the catalog (and its caches), never by a copy of the whole repository.
 * A handle is cheap and short-lived: {@link RepositoryIndex} makes one per look-up.
 */
public final class RepositoryState {

    /** The page size of the iterations below. */
    private static final int PAGE = 500;

    private final MetadataCatalog catalog;
    private final long id;
    private final RepositoryName name;
    private volatile RepositoryRecord record;
    private volatile long version;
    private final ReentrantLock writeLock;

    RepositoryState(MetadataCatalog catalog, MetadataCatalog.StoredRepository stored, ReentrantLock writeLock) {
        this.catalog = catalog;
        this.id = stored.id();
        this.name = RepositoryName.of(stored.name());
        this.record = stored.record();
        this.version = stored.version();
        this.writeLock = writeLock;
    }

    /** The catalog's id of this repository (never reused by another repository of the same name). */
    public long id() {
        return id;
    }

    public RepositoryName name() {
        return name;
    }

    public Instant createdAt() {
        return record.createdAt();
    }

    /** The repository's settings as read when this handle was made, or as this handle last changed them. */
    public RepositoryRecord record() {
        return record;
    }

    long version() {
        return version;
    }

    void setRecord(RepositoryRecord record, long version) {
        this.record = record;
        this.version = version;
    }

    /**
     * Held by every writer of this repository in this process (the catalog's transactions make writes
     * from several nodes safe). Never hold two repositories' locks at once: locks are striped.
     */
    public ReentrantLock writeLock() {
        return writeLock;
    }

    /** The digest {@code tag} names, or empty. */
    public Optional<Digest> tag(String tag) {
        return catalog.tag(id, tag);
    }

    /** One page of tags in lexical order, after {@code after} (exclusive; null for the first page). */
    public List<TagEntry> tags(String after, int limit) {
        return catalog.tags(id, after, limit);
    }

    /** Every tag, in lexical order, a page at a time. */
    public void forEachTag(Consumer<TagEntry> action) {
        forEachPage(after -> catalog.tags(id, after, PAGE), TagEntry::tag, action);
    }

    /** The tags that name {@code digest}, in lexical order. */
    public List<String> tagsOf(Digest digest) {
        return catalog.tagsOf(id, digest);
    }

    /** {@link #tagsOf(Digest)} of each of {@code digests}, in a few look-ups. */
    public java.util.Map<Digest, List<String>> tagsOf(java.util.Collection<Digest> digests) {
        return catalog.tagsOf(id, digests);
    }

    public Optional<ImageRecord> image(Digest digest) {
        return catalog.image(id, digest);
    }

    /** Whether the repository has any image. */
    public boolean hasImages() {
        return catalog.hasImages(id);
    }

    /** One page of images in digest order, after {@code after} (exclusive; null for the first page). */
    public List<ImageRecord> images(Digest after, int limit) {
        return catalog.images(id, after, limit);
    }

    /** {@link #images} without the blob and child lists: what listings show. */
    public List<ImageSummary> imageSummaries(Digest after, int limit) {
        return catalog.imageSummaries(id, after, limit);
    }

    /**
     * One page of image summaries newest push first (push time descending, then digest ascending), after
     * {@code after} (exclusive, the last of the previous page; null for the first page).
     */
    public List<ImageSummary> imageSummariesNewestFirst(ImageSummary after, int limit) {
        return catalog.imageSummariesNewestFirst(id, after, limit);
    }

    /** Every image's summary, in digest order, a page at a time. */
    public void forEachImageSummary(Consumer<ImageSummary> action) {
        forEachPage(after -> catalog.imageSummaries(id, after, PAGE), ImageSummary::digest, action);
    }

    /** Every image, in digest order, a page at a time. */
    public void forEachImage(Consumer<ImageRecord> action) {
        forEachPage(after -> catalog.images(id, after, PAGE), ImageRecord::digest, action);
    }

    /** Calls {@code action} for every item of the pages {@code page} returns, each after the last item's key. */
    private static <T, K> void forEachPage(java.util.function.Function<K, List<T>> page, java.util.function.Function<T, K> key,
            Consumer<T> action) {
        K after = null;
        while (true) {
            List<T> items = page.apply(after);
            items.forEach(action);
            if (items.size() < PAGE) {
                return;
            }
            after = key.apply(items.get(items.size() - 1));
        }
    }

    /** Size of a blob linked into this repository, if it is linked. */
    public Optional<Long> layerSize(Digest digest) {
        return catalog.link(id, digest).map(BlobLink::size);
    }

    /** Indexes in this repository that list {@code child}. */
    public Set<Digest> parentsOf(Digest child) {
        return catalog.parents(id, child);
    }

    /** Those of {@code digests} that an index in this repository lists. */
    public Set<Digest> listedByIndex(java.util.Collection<Digest> digests) {
        return catalog.listedByIndex(id, digests);
    }

    /** Manifests in this repository whose subject is {@code subject}. */
    public List<Digest> referrersOf(Digest subject) {
        return catalog.referrers(id, subject);
    }

    /** Whether some image of this repository references the blob as config or layer. */
    public boolean references(Digest blob) {
        return catalog.referencedInRepository(id, blob);
    }

    /**
     * How deeply the stored image {@code digest} nests indexes: 0 for an image manifest (or a digest not
     * stored here), 1 for an index of image manifests, and one more than its deepest child for an index of
     * indexes. Each image below {@code digest} is read once (iteratively, so damaged metadata with a cycle
     * cannot overflow the stack; a cycle counts as depth 0 where it closes).
     */
    public int indexDepth(Digest digest) {
        Map<Digest, Integer> depths = new HashMap<>();
        Map<Digest, ImageRecord> read = new HashMap<>();
        Set<Digest> onPath = new HashSet<>();
        Deque<Digest> stack = new ArrayDeque<>();
        stack.push(digest);
        while (!stack.isEmpty()) {
            Digest d = stack.peek();
            if (depths.containsKey(d)) {
                stack.pop();
                continue;
            }
            ImageRecord r = read.computeIfAbsent(d, k -> image(k).orElse(null));
            if (r == null || (r.children().isEmpty() && !MediaTypes.INDEXES.contains(r.mediaType()))) {
                depths.put(d, 0);
                stack.pop();
                continue;
            }
            if (onPath.add(d)) {
                for (Digest child : r.children()) {
                    if (!depths.containsKey(child) && !onPath.contains(child)) {
                        stack.push(child);
                    }
                }
                continue;
            }
            int deepest = 0;
            for (Digest child : r.children()) {
                deepest = Math.max(deepest, depths.getOrDefault(child, 0));
            }
            onPath.remove(d);
            stack.pop();
            depths.put(d, deepest + 1);
        }
        return depths.get(digest);
    }
}
