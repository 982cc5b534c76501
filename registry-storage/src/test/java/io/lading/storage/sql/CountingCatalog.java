package io.lading.storage.sql;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.ManifestUnknown;
import io.lading.core.error.RegistryException.ReferencedByIndex;
import io.lading.core.error.RegistryException.TagImmutable;
import io.lading.core.image.ImageRecord;
import io.lading.core.image.ImageSummary;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.spi.MetadataCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * An in-memory {@link MetadataCatalog} for testing {@link CachedMetadataCatalog}: it counts the calls of
 * each method, can pause one read after it took its snapshot (to let a write overtake it), and can make
 * a write fail after it committed. Only as faithful to the contract as the decorator's tests need.
 */
final class CountingCatalog implements MetadataCatalog {

    /** A read of {@code method} (or a setTag, before it writes) pauses after reading: {@code read} opens, then it waits for {@code release}. */
    record Gate(String method, CountDownLatch read, CountDownLatch release) {
        Gate(String method) {
            this(method, new CountDownLatch(1), new CountDownLatch(1));
        }

        void awaitRead() throws InterruptedException {
            if (!read.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the gated read of " + method + " never came");
            }
        }
    }

    private record RepoDigest(long repository, Digest digest) {
    }

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicReference<Gate> gate = new AtomicReference<>();
    /** The next write of this method commits, then throws. */
    volatile String failAfterCommit;
    private final Map<String, StoredRepository> repositories = new TreeMap<>();
    private final Map<RepoDigest, BlobLink> links = new HashMap<>();
    private final Map<RepoDigest, ImageRecord> images = new HashMap<>();
    private final Map<Long, TreeMap<String, Digest>> tags = new HashMap<>();
    private long nextId = 1;

    int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    Gate gate(String method) {
        Gate g = new Gate(method);
        gate.set(g);
        return g;
    }

    private void count(String method) {
        calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    }

    /** Counts a read of {@code method}, takes {@code snapshot} under the monitor, then passes the gate. */
    private <T> T gatedRead(String method, Supplier<T> snapshot) {
        count(method);
        T value;
        synchronized (this) {
            value = snapshot.get();
        }
        return read(method, value);
    }

    /** Returns {@code value}, read under the monitor, after the gate (if set for {@code method}) opened. */
    private <T> T read(String method, T value) {
        Gate g = gate.get();
        if (g != null && g.method().equals(method) && gate.compareAndSet(g, null)) {
            g.read().countDown();
            try {
                if (!g.release().await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("gate of " + method + " never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return value;
    }

    private void committed(String method) {
        if (method.equals(failAfterCommit)) {
            failAfterCommit = null;
            throw new IllegalStateException("connection lost after " + method + " committed");
        }
    }

    // ---- repositories ----

    @Override
    public Optional<StoredRepository> repository(String name) {
        return gatedRead("repository", () -> Optional.ofNullable(repositories.get(name)));
    }

    @Override
    public synchronized Optional<StoredRepository> createRepository(String name, RepositoryRecord record) {
        count("createRepository");
        if (repositories.containsKey(name)) {
            return Optional.empty();
        }
        StoredRepository r = new StoredRepository(nextId++, name, record, 1);
        repositories.put(name, r);
        committed("createRepository");
        return Optional.of(r);
    }

    @Override
    public synchronized Optional<StoredRepository> updateRepository(long id, long expectedVersion, RepositoryRecord record) {
        count("updateRepository");
        Optional<StoredRepository> current = byId(id);
        if (current.isEmpty() || current.get().version() != expectedVersion) {
            return Optional.empty();
        }
        StoredRepository next = new StoredRepository(id, current.get().name(), record, expectedVersion + 1);
        repositories.put(next.name(), next);
        committed("updateRepository");
        return Optional.of(next);
    }

    private Optional<StoredRepository> byId(long id) {
        return repositories.values().stream().filter(r -> r.id() == id).findFirst();
    }

    @Override
    public synchronized boolean deleteRepository(long id) {
        count("deleteRepository");
        Optional<StoredRepository> current = byId(id);
        current.ifPresent(r -> repositories.remove(r.name()));
        links.keySet().removeIf(k -> k.repository() == id);
        images.keySet().removeIf(k -> k.repository() == id);
        tags.remove(id);
        committed("deleteRepository");
        return current.isPresent();
    }

    @Override
    public synchronized List<String> repositoryNames(String after, int limit) {
        count("repositoryNames");
        return repositories.keySet().stream().filter(n -> after == null || n.compareTo(after) > 0).limit(limit).toList();
    }

    // ---- links ----

    @Override
    public Optional<BlobLink> link(long repository, Digest digest) {
        return gatedRead("link", () -> Optional.ofNullable(links.get(new RepoDigest(repository, digest))));
    }

    @Override
    public synchronized void putLink(long repository, Digest digest, long size, Instant linkedAt) {
        count("putLink");
        if (byId(repository).isPresent()) {
            links.put(new RepoDigest(repository, digest), new BlobLink(size, linkedAt));
        }
        committed("putLink");
    }

    @Override
    public synchronized void removeLink(long repository, Digest digest) {
        count("removeLink");
        links.remove(new RepoDigest(repository, digest));
        committed("removeLink");
    }

    @Override
    public synchronized int removeLinksEverywhere(Digest digest) {
        count("removeLinksEverywhere");
        int before = links.size();
        links.keySet().removeIf(k -> k.digest().equals(digest));
        committed("removeLinksEverywhere");
        return before - links.size();
    }

    @Override
    public synchronized Optional<Instant> newestLink(Digest digest) {
        count("newestLink");
        return links.entrySet().stream().filter(e -> e.getKey().digest().equals(digest))
                .map(e -> e.getValue().linkedAt()).max(Instant::compareTo);
    }

    @Override
    public synchronized boolean referencedInRepository(long repository, Digest blob) {
        count("referencedInRepository");
        return images.entrySet().stream().anyMatch(e -> e.getKey().repository() == repository
                && e.getValue().blobs().contains(blob));
    }

    @Override
    public synchronized boolean referencedAnywhere(Digest blob) {
        count("referencedAnywhere");
        return images.values().stream().anyMatch(i -> i.blobs().contains(blob) || i.contentBlob().equals(blob));
    }

    // ---- images ----

    @Override
    public Optional<ImageRecord> image(long repository, Digest digest) {
        return gatedRead("image", () -> Optional.ofNullable(images.get(new RepoDigest(repository, digest))));
    }

    @Override
    public synchronized Optional<ImageRecord> putImage(long repository, ImageRecord record) {
        count("putImage");
        if (byId(repository).isEmpty()) {
            return Optional.empty();
        }
        ImageRecord stored = images.computeIfAbsent(new RepoDigest(repository, record.digest()), k -> record);
        committed("putImage");
        return Optional.of(stored);
    }

    @Override
    public synchronized void setLastPulledAt(long repository, Digest digest, Instant at) {
        count("setLastPulledAt");
        images.computeIfPresent(new RepoDigest(repository, digest), (k, i) -> i.withLastPulledAt(at));
        committed("setLastPulledAt");
    }

    @Override
    public synchronized List<String> removeImage(long repository, Digest digest) {
        count("removeImage");
        RepoDigest key = new RepoDigest(repository, digest);
        if (!images.containsKey(key)) {
            throw new ManifestUnknown(digest.toString());
        }
        for (Map.Entry<RepoDigest, ImageRecord> e : images.entrySet()) {
            if (e.getKey().repository() == repository && e.getValue().children().contains(digest)) {
                throw new ReferencedByIndex(digest, e.getKey().digest());
            }
        }
        images.remove(key);
        List<String> removed = new ArrayList<>();
        TreeMap<String, Digest> repoTags = tags.get(repository);
        if (repoTags != null) {
            repoTags.entrySet().removeIf(e -> {
                boolean names = e.getValue().equals(digest);
                if (names) {
                    removed.add(e.getKey());
                }
                return names;
            });
        }
        committed("removeImage");
        return removed;
    }

    @Override
    public synchronized List<ImageRecord> images(long repository, Digest after, int limit) {
        count("images");
        return images.entrySet().stream().filter(e -> e.getKey().repository() == repository)
                .map(Map.Entry::getValue).filter(i -> after == null || i.digest().compareTo(after) > 0)
                .sorted((a, b) -> a.digest().compareTo(b.digest())).limit(limit).toList();
    }

    @Override
    public synchronized List<ImageSummary> imageSummariesNewestFirst(long repository, ImageSummary after, int limit) {
        count("imageSummariesNewestFirst");
        java.util.Comparator<ImageSummary> newestFirst = java.util.Comparator
                .comparing(ImageSummary::pushedAt, java.util.Comparator.reverseOrder())
                .thenComparing(ImageSummary::digest);
        return images.entrySet().stream().filter(e -> e.getKey().repository() == repository)
                .map(e -> ImageSummary.of(e.getValue())).filter(i -> after == null || newestFirst.compare(i, after) > 0)
                .sorted(newestFirst).limit(limit).toList();
    }

    @Override
    public synchronized boolean hasImages(long repository) {
        count("hasImages");
        return images.keySet().stream().anyMatch(k -> k.repository() == repository);
    }

    @Override
    public synchronized Set<Digest> parents(long repository, Digest child) {
        count("parents");
        Set<Digest> out = new TreeSet<>();
        images.forEach((k, i) -> {
            if (k.repository() == repository && i.children().contains(child)) {
                out.add(k.digest());
            }
        });
        return out;
    }

    @Override
    public synchronized List<Digest> referrers(long repository, Digest subject) {
        count("referrers");
        return images.entrySet().stream().filter(e -> e.getKey().repository() == repository
                && subject.equals(e.getValue().subject())).map(e -> e.getKey().digest()).sorted().toList();
    }

    // ---- tags ----

    @Override
    public Optional<Digest> tag(long repository, String tag) {
        return gatedRead("tag", () -> Optional.ofNullable(tags.getOrDefault(repository, new TreeMap<>()).get(tag)));
    }

    @Override
    public synchronized List<TagEntry> tags(long repository, String after, int limit) {
        count("tags");
        return tags.getOrDefault(repository, new TreeMap<>()).entrySet().stream()
                .filter(e -> after == null || e.getKey().compareTo(after) > 0).limit(limit)
                .map(e -> new TagEntry(e.getKey(), e.getValue())).toList();
    }

    @Override
    public synchronized List<String> tagsOf(long repository, Digest digest) {
        count("tagsOf");
        return tags.getOrDefault(repository, new TreeMap<>()).entrySet().stream()
                .filter(e -> e.getValue().equals(digest)).map(Map.Entry::getKey).toList();
    }

    @Override
    public Optional<Digest> setTag(long repository, String tag, Digest digest, Instant at, boolean mayMove) {
        count("setTag");
        read("setTag", null); // a gated setTag pauses before it writes, outside the monitor
        synchronized (this) {
            return setTagNow(repository, tag, digest, mayMove);
        }
    }

    private Optional<Digest> setTagNow(long repository, String tag, Digest digest, boolean mayMove) {
        if (!images.containsKey(new RepoDigest(repository, digest))) {
            throw new ManifestUnknown(digest.toString());
        }
        TreeMap<String, Digest> repoTags = tags.computeIfAbsent(repository, r -> new TreeMap<>());
        Digest before = repoTags.get(tag);
        if (before != null && !before.equals(digest) && !mayMove) {
            throw new TagImmutable(tag, "repository " + repository);
        }
        repoTags.put(tag, digest);
        committed("setTag");
        return Optional.ofNullable(before);
    }

    @Override
    public synchronized boolean removeTag(long repository, String tag) {
        count("removeTag");
        TreeMap<String, Digest> repoTags = tags.get(repository);
        boolean removed = repoTags != null && repoTags.remove(tag) != null;
        committed("removeTag");
        return removed;
    }

    /** Changes a tag behind the cache's back, as another node would. */
    synchronized void setTagElsewhere(long repository, String tag, Digest digest) {
        tags.computeIfAbsent(repository, r -> new TreeMap<>()).put(tag, digest);
    }
}
