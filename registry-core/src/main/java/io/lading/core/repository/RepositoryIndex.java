package io.lading.core.repository;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.RepositoryNotFound;
import io.lading.core.image.ImageRecord;
import io.lading.core.spi.MetadataStore;
import io.lading.core.tag.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every repository's metadata, held in memory and written through to the {@link MetadataStore}. Reads
 * (the hot path: manifest GET, blob HEAD, tag lists) never touch the store. Each write updates the
 * store first and memory second, so memory is never ahead of what a restart would load.
 *
 * <p>Thread-safe. Write methods that change a repository must be called with its
 * {@link RepositoryState#writeLock()} held; the services do this.
 */
public final class RepositoryIndex {

    private static final Logger log = LoggerFactory.getLogger(RepositoryIndex.class);

    private final MetadataStore store;
    private final Clock clock;
    private final ConcurrentSkipListMap<String, RepositoryState> repositories = new ConcurrentSkipListMap<>();

    private RepositoryIndex(MetadataStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Loads every repository from {@code store}. */
    public static RepositoryIndex load(MetadataStore store, Clock clock) {
        RepositoryIndex index = new RepositoryIndex(store, clock);
        index.loadAll();
        return index;
    }

    private record RepositoryDoc(Instant createdAt) {
    }

    private record TagDoc(Digest digest) {
    }

    private record LayerDoc(long size, Instant linkedAt) {
    }

    private void loadAll() {
        int keys = 0;
        // repositories first, so that every other key finds its repository
        var all = store.list(MetadataKeys.ROOT);
        for (String key : all) {
            String[] parts = MetadataKeys.split(key);
            if (parts != null && parts[1].equals(MetadataKeys.REPOSITORY)) {
                store.get(key).ifPresent(v -> {
                    RepositoryName name = RepositoryName.of(parts[0]);
                    repositories.put(name.value(),
                            new RepositoryState(name, MetadataJson.read(v.value(), RepositoryDoc.class).createdAt()));
                });
            }
        }
        for (String key : all) {
            String[] parts = MetadataKeys.split(key);
            if (parts == null) {
                continue;
            }
            RepositoryState repo = repositories.get(parts[0]);
            if (repo == null || parts[1].equals(MetadataKeys.REPOSITORY)) {
                continue;
            }
            Optional<MetadataStore.Versioned> value = store.get(key);
            if (value.isEmpty()) {
                continue;
            }
            byte[] bytes = value.get().value();
            String rest = parts[1];
            if (rest.startsWith(MetadataKeys.TAGS + "/")) {
                repo.putTag(rest.substring(MetadataKeys.TAGS.length() + 1), MetadataJson.read(bytes, TagDoc.class).digest());
            } else if (rest.startsWith(MetadataKeys.MANIFESTS + "/")) {
                repo.putImage(MetadataJson.read(bytes, ImageRecord.class));
            } else if (rest.startsWith(MetadataKeys.LAYERS + "/")) {
                Digest d = Digest.parse(rest.substring(MetadataKeys.LAYERS.length() + 1).replace('/', ':'));
                repo.putLayer(d, MetadataJson.read(bytes, LayerDoc.class).size());
            }
            keys++;
        }
        log.info("Loaded {} repositories ({} metadata documents)", repositories.size(), keys);
    }

    /** The repository, or empty. */
    public Optional<RepositoryState> find(RepositoryName name) {
        return Optional.ofNullable(repositories.get(name.value()));
    }

    /** The repository. @throws RepositoryNotFound if it does not exist */
    public RepositoryState require(RepositoryName name) {
        RepositoryState state = repositories.get(name.value());
        if (state == null) {
            throw new RepositoryNotFound(name.value());
        }
        return state;
    }

    /** All repositories by name, in lexical order. Read-only view. */
    public NavigableMap<String, RepositoryState> all() {
        return java.util.Collections.unmodifiableNavigableMap(repositories);
    }

    /**
     * Creates the repository if it does not exist (atomic in the store, so two nodes creating it at once
     * end with one record). Returns the existing or new state.
     */
    public RepositoryState create(RepositoryName name) {
        RepositoryState existing = repositories.get(name.value());
        if (existing != null) {
            return existing;
        }
        synchronized (repositories) {
            existing = repositories.get(name.value());
            if (existing != null) {
                return existing;
            }
            Instant now = clock.instant();
            String key = MetadataKeys.repository(name);
            Instant createdAt = now;
            if (!store.createIfAbsent(key, MetadataJson.write(new RepositoryDoc(now)))) {
                createdAt = store.get(key).map(v -> MetadataJson.read(v.value(), RepositoryDoc.class).createdAt())
                        .orElse(now);
            }
            RepositoryState state = new RepositoryState(name, createdAt);
            repositories.put(name.value(), state);
            return state;
        }
    }

    // ---- writes; callers hold repo.writeLock() ----

    /** Records that {@code digest} (of {@code size} bytes) is available in the repository. */
    public void linkLayer(RepositoryState repo, Digest digest, long size) {
        if (repo.layerSize(digest).isPresent()) {
            return;
        }
        store.put(MetadataKeys.layer(repo.name(), digest), MetadataJson.write(new LayerDoc(size, clock.instant())));
        repo.putLayer(digest, size);
    }

    /** Removes the repository's link to a blob; the bytes stay until garbage collection. */
    public void unlinkLayer(RepositoryState repo, Digest digest) {
        store.delete(MetadataKeys.layer(repo.name(), digest));
        repo.removeLayer(digest);
    }

    /** Stores a new image record; an existing record for the digest is kept (re-push keeps pushedAt). */
    public ImageRecord putImage(RepositoryState repo, ImageRecord record) {
        Optional<ImageRecord> existing = repo.image(record.digest());
        if (existing.isPresent()) {
            return existing.get();
        }
        String key = MetadataKeys.manifest(repo.name(), record.digest());
        if (!store.createIfAbsent(key, MetadataJson.write(record))) {
            record = store.get(key).map(v -> MetadataJson.read(v.value(), ImageRecord.class)).orElse(record);
        }
        repo.putImage(record);
        return record;
    }

    /** Rewrites an image record (pull time); last writer wins, which is what a timestamp wants. */
    public void updateImage(RepositoryState repo, ImageRecord record) {
        store.put(MetadataKeys.manifest(repo.name(), record.digest()), MetadataJson.write(record));
        repo.replaceImage(record);
    }

    /** Removes an image record. Tags must have been removed first. */
    public void removeImage(RepositoryState repo, Digest digest) {
        store.delete(MetadataKeys.manifest(repo.name(), digest));
        repo.removeImage(digest);
    }

    /**
     * Points {@code tag} at {@code digest} by compare-and-swap against the stored value, so concurrent
     * writers (in this or another process) leave one of their values, never a torn one.
     *
     * @return the digest the tag pointed at before, or null
     */
    public Digest setTag(RepositoryState repo, Tag tag, Digest digest) {
        String key = MetadataKeys.tag(repo.name(), tag);
        byte[] doc = MetadataJson.write(new TagDoc(digest));
        while (true) {
            Optional<MetadataStore.Versioned> current = store.get(key);
            if (current.isEmpty()) {
                if (store.createIfAbsent(key, doc)) {
                    repo.putTag(tag.value(), digest);
                    return null;
                }
            } else {
                Digest previous = MetadataJson.read(current.get().value(), TagDoc.class).digest();
                if (previous.equals(digest) || store.replace(key, current.get().version(), doc)) {
                    repo.putTag(tag.value(), digest);
                    return previous;
                }
            }
        }
    }

    /** Removes a tag; the image stays. */
    public void removeTag(RepositoryState repo, String tag) {
        store.delete(MetadataKeys.tag(repo.name(), Tag.of(tag)));
        repo.removeTag(tag);
    }

    public Clock clock() {
        return clock;
    }
}
