package io.lading.core.repository;

import io.lading.core.digest.Digest;
import io.lading.core.image.ImageRecord;
import io.lading.core.mediatype.MediaTypes;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory view of one repository: tags, images, linked blobs and the reverse maps that answer
 * index and referrer questions. Reads are lock-free (concurrent maps); writers hold {@link #writeLock()}
 * and update the durable store before this view, so memory never shows what the store lacks.
 */
public final class RepositoryState {

    private final RepositoryName name;
    private volatile RepositoryRecord record;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentSkipListMap<String, Digest> tags = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<Digest, Integer> tagCounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Digest, ImageRecord> images = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Digest, Link> layers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Digest, Set<Digest>> parents = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Digest, Set<Digest>> referrers = new ConcurrentHashMap<>();
    /** Index nesting depth of stored images, computed on first need (see {@link #indexDepth}). */
    private final ConcurrentHashMap<Digest, Integer> depths = new ConcurrentHashMap<>();

    public RepositoryState(RepositoryName name, RepositoryRecord record) {
        this.name = name;
        this.record = record;
    }

    public RepositoryName name() {
        return name;
    }

    public Instant createdAt() {
        return record.createdAt();
    }

    /** The repository's settings as last stored. */
    public RepositoryRecord record() {
        return record;
    }

    void setRecord(RepositoryRecord record) {
        this.record = record;
    }

    /** Held by every writer of this repository (in this process). */
    public ReentrantLock writeLock() {
        return writeLock;
    }

    /** Tags in lexical order, tag to image digest. Read-only view. */
    public NavigableMap<String, Digest> tags() {
        return java.util.Collections.unmodifiableNavigableMap(tags);
    }

    /** How many tags point at {@code digest}. */
    public int tagCount(Digest digest) {
        return tagCounts.getOrDefault(digest, 0);
    }

    public Optional<ImageRecord> image(Digest digest) {
        return Optional.ofNullable(images.get(digest));
    }

    public Map<Digest, ImageRecord> images() {
        return java.util.Collections.unmodifiableMap(images);
    }

    /**
     * A blob linked into this repository: its size, and when it was last uploaded, mounted or linked here
     * (the start of its garbage-collection grace period; {@link Instant#EPOCH} for links stored without it).
     */
    public record Link(long size, Instant linkedAt) {
    }

    /** Size of a blob linked into this repository, if it is linked. */
    public Optional<Long> layerSize(Digest digest) {
        return Optional.ofNullable(layers.get(digest)).map(Link::size);
    }

    /** Every blob linked into this repository. Read-only view. */
    public Map<Digest, Link> links() {
        return java.util.Collections.unmodifiableMap(layers);
    }

    /** Indexes in this repository that list {@code child}. */
    public Set<Digest> parentsOf(Digest child) {
        return parents.getOrDefault(child, Set.of());
    }

    /** Manifests in this repository whose subject is {@code subject}. */
    public Set<Digest> referrersOf(Digest subject) {
        return referrers.getOrDefault(subject, Set.of());
    }

    /**
     * How deeply the stored image {@code digest} nests indexes: 0 for an image manifest (or a digest not
     * stored here), 1 for an index of image manifests, and one more than its deepest child for an index of
     * indexes. Each image's depth is computed once and remembered (an image's children never change, and a
     * child is not deleted while an index lists it), so a push costs one look-up per child; the first call
     * after loading visits each image below {@code digest} once, iteratively. A child missing from the
     * repository counts as depth 0 and its parents' depths are not remembered, in case it is pushed later.
     */
    public int indexDepth(Digest digest) {
        Integer known = depths.get(digest);
        if (known != null) {
            return known;
        }
        Map<Digest, Integer> provisional = new java.util.HashMap<>();
        Set<Digest> onPath = new java.util.HashSet<>();
        java.util.Deque<Digest> stack = new java.util.ArrayDeque<>();
        stack.push(digest);
        while (!stack.isEmpty()) {
            Digest d = stack.peek();
            if (depthKnown(d, provisional) != null) {
                stack.pop();
                continue;
            }
            ImageRecord r = images.get(d);
            if (r == null || (r.children().isEmpty() && !MediaTypes.INDEXES.contains(r.mediaType()))) {
                if (r == null) {
                    provisional.put(d, 0);
                } else {
                    depths.put(d, 0);
                }
                stack.pop();
                continue;
            }
            if (onPath.add(d)) {
                for (Digest child : r.children()) {
                    if (depthKnown(child, provisional) == null && !onPath.contains(child)) {
                        stack.push(child);
                    }
                }
                continue;
            }
            int deepest = 0;
            boolean settled = true;
            for (Digest child : r.children()) {
                Integer c = depthKnown(child, provisional);
                if (c == null || provisional.containsKey(child)) {
                    settled = false; // a cycle (damaged metadata) or a missing child
                }
                deepest = Math.max(deepest, c == null ? 0 : c);
            }
            onPath.remove(d);
            stack.pop();
            (settled ? depths : provisional).put(d, deepest + 1);
        }
        return depthKnown(digest, provisional);
    }

    private Integer depthKnown(Digest d, Map<Digest, Integer> provisional) {
        Integer v = depths.get(d);
        return v != null ? v : provisional.get(d);
    }

    // ---- mutation: only under writeLock (or while loading), after the store was updated ----

    void putTag(String tag, Digest digest) {
        Digest previous = tags.put(tag, digest);
        if (!digest.equals(previous)) {
            tagCounts.merge(digest, 1, Integer::sum);
            uncount(previous);
        }
    }

    void removeTag(String tag) {
        uncount(tags.remove(tag));
    }

    private void uncount(Digest digest) {
        if (digest != null) {
            tagCounts.computeIfPresent(digest, (d, n) -> n > 1 ? n - 1 : null);
        }
    }

    void putLayer(Digest digest, long size, Instant linkedAt) {
        layers.put(digest, new Link(size, linkedAt == null ? Instant.EPOCH : linkedAt));
    }

    void removeLayer(Digest digest) {
        layers.remove(digest);
    }

    void putImage(ImageRecord record) {
        ImageRecord previous = images.put(record.digest(), record);
        if (previous == null) {
            for (Digest child : record.children()) {
                parents.computeIfAbsent(child, k -> ConcurrentHashMap.newKeySet()).add(record.digest());
            }
            if (record.subject() != null) {
                referrers.computeIfAbsent(record.subject(), k -> ConcurrentHashMap.newKeySet()).add(record.digest());
            }
        }
    }

    void replaceImage(ImageRecord record) {
        images.replace(record.digest(), record);
    }

    void removeImage(Digest digest) {
        ImageRecord record = images.remove(digest);
        depths.remove(digest);
        if (record == null) {
            return;
        }
        for (Digest child : record.children()) {
            removeFrom(parents, child, digest);
        }
        if (record.subject() != null) {
            removeFrom(referrers, record.subject(), digest);
        }
    }

    private static void removeFrom(ConcurrentHashMap<Digest, Set<Digest>> map, Digest key, Digest value) {
        map.computeIfPresent(key, (k, set) -> {
            set.remove(value);
            return set.isEmpty() ? null : set;
        });
    }
}
