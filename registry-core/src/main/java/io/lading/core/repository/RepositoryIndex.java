package io.lading.core.repository;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.RepositoryAlreadyExists;
import io.lading.core.error.RegistryException.RepositoryNotFound;
import io.lading.core.error.RegistryException.TagImmutable;
import io.lading.core.image.ImageRecord;
import io.lading.core.spi.MetadataStore;
import io.lading.core.spi.QuarantinedDocument;
import io.lading.core.tag.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;
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
    private final ReentrantReadWriteLock sweep = new ReentrantReadWriteLock();

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

    /** A tag document; {@code tag} is null in documents written before long tags were hashed. */
    private record TagDoc(String tag, Digest digest) {
    }

    private record LayerDoc(long size, Instant linkedAt) {
    }

    private void loadAll() {
        int keys = 0;
        int quarantined = 0;
        // repositories first, so that every other key finds its repository
        var all = store.list(MetadataKeys.ROOT);
        for (String key : all) {
            String[] parts = MetadataKeys.split(key);
            if (parts != null && parts[1].equals(MetadataKeys.REPOSITORY)) {
                Optional<MetadataStore.Versioned> v = store.get(key);
                if (v.isPresent() && !load(key, () -> {
                    RepositoryName name = RepositoryName.of(parts[0]);
                    repositories.put(name.value(),
                            new RepositoryState(name, MetadataJson.read(v.get().value(), RepositoryRecord.class)));
                })) {
                    quarantined++;
                }
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
            if (!load(key, () -> loadDocument(repo, rest, bytes))) {
                quarantined++;
            }
            keys++;
        }
        log.info("Loaded {} repositories ({} metadata documents{})", repositories.size(), keys,
                quarantined == 0 ? "" : ", " + quarantined + " unreadable ones quarantined");
    }

    private static void loadDocument(RepositoryState repo, String rest, byte[] bytes) {
        if (rest.startsWith(MetadataKeys.TAGS + "/")) {
            TagDoc doc = MetadataJson.read(bytes, TagDoc.class);
            repo.putTag(doc.tag() != null ? Tag.of(doc.tag()).value() : rest.substring(MetadataKeys.TAGS.length() + 1),
                    java.util.Objects.requireNonNull(doc.digest(), "digest"));
        } else if (rest.startsWith(MetadataKeys.MANIFESTS + "/")) {
            ImageRecord image = MetadataJson.read(bytes, ImageRecord.class);
            for (Object member : new Object[] {image.digest(), image.contentBlob(), image.mediaType(), image.pushedAt()}) {
                java.util.Objects.requireNonNull(member, "an image record lacks digest, contentBlob, mediaType or pushedAt");
            }
            repo.putImage(image);
        } else if (rest.startsWith(MetadataKeys.LAYERS + "/")) {
            Digest d = Digest.parse(rest.substring(MetadataKeys.LAYERS.length() + 1).replace('/', ':'));
            LayerDoc doc = MetadataJson.read(bytes, LayerDoc.class);
            repo.putLayer(d, doc.size(), doc.linkedAt());
        }
    }

    /**
     * Runs {@code loader} for the document at {@code key}; if the document cannot be read (bad JSON, a
     * missing or invalid field), moves it to the store's quarantine with one ERROR line instead of
     * failing the start: one damaged file must not take every repository offline.
     *
     * @return false if the document was quarantined
     */
    private boolean load(String key, Runnable loader) {
        try {
            loader.run();
            return true;
        } catch (RuntimeException e) {
            String reason = e.getCause() != null ? e.getMessage() + ": " + e.getCause().getMessage() : String.valueOf(e.getMessage());
            store.quarantine(key, reason, clock.instant()).ifPresent(q -> log.error(
                    "Quarantined unreadable metadata document {} ({}): moved to {}", key, reason, q.quarantinePath()));
            return false;
        }
    }

    /** Metadata documents that could not be read and were moved aside, at this start or an earlier one. */
    public List<QuarantinedDocument> quarantined() {
        return store.quarantined();
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
     *
     * @throws RepositoryAlreadyExists if the name's record is in quarantine
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
            return insert(name, RepositoryRecord.defaults(clock.instant()), false);
        }
    }

    /**
     * Creates a repository with the given settings.
     *
     * @throws RepositoryAlreadyExists if it exists (here or, per the store, created by another node), or
     *     its record is in quarantine
     */
    public RepositoryState createNew(RepositoryName name, RepositoryRecord record) {
        synchronized (repositories) {
            if (repositories.containsKey(name.value())) {
                throw new RepositoryAlreadyExists(name.value());
            }
            return insert(name, record, true);
        }
    }

    private RepositoryState insert(RepositoryName name, RepositoryRecord record, boolean mustBeNew) {
        String key = MetadataKeys.repository(name);
        if (store.quarantined().stream().anyMatch(q -> q.key().equals(key))) {
            throw RepositoryAlreadyExists.quarantined(name.value());
        }
        sweepLeftovers(name);
        RepositoryRecord stored = record;
        if (!store.createIfAbsent(key, MetadataJson.write(record))) {
            if (mustBeNew) {
                throw new RepositoryAlreadyExists(name.value());
            }
            stored = store.get(key).map(v -> MetadataJson.read(v.value(), RepositoryRecord.class)).orElse(record);
        }
        RepositoryState state = new RepositoryState(name, stored);
        repositories.put(name.value(), state);
        return state;
    }

    /**
     * Removes documents a crashed deletion left under the repository's prefix, so a new repository of
     * the same name never inherits an old one's tags. Never reached while the name's record is in
     * quarantine: those documents are then the damaged repository's, which an operator may still repair.
     */
    private void sweepLeftovers(RepositoryName name) {
        if (store.get(MetadataKeys.repository(name)).isPresent()) {
            return;
        }
        for (String key : store.list(MetadataKeys.ROOT + name + "/")) {
            String[] parts = MetadataKeys.split(key);
            if (parts != null && parts[0].equals(name.value())) {
                store.delete(key);
            }
        }
    }

    /**
     * Replaces the repository's settings by compare-and-swap, retrying on concurrent changes.
     * Callers hold the repository's write lock.
     */
    public RepositoryRecord update(RepositoryState repo, UnaryOperator<RepositoryRecord> change) {
        String key = MetadataKeys.repository(repo.name());
        while (true) {
            MetadataStore.Versioned current = store.get(key)
                    .orElseThrow(() -> new RepositoryNotFound(repo.name().value()));
            RepositoryRecord next = change.apply(MetadataJson.read(current.value(), RepositoryRecord.class));
            if (store.replace(key, current.version(), MetadataJson.write(next))) {
                repo.setRecord(next);
                return next;
            }
        }
    }

    /**
     * Deletes the repository and every document under it. The repository record goes first, so a crash
     * part way leaves an invisible remainder that the next creation of the name sweeps away. Callers
     * hold the repository's write lock and have checked that it may go.
     */
    public void delete(RepositoryState repo) {
        synchronized (repositories) {
            store.delete(MetadataKeys.repository(repo.name()));
            repositories.remove(repo.name().value(), repo);
        }
        for (String key : store.list(MetadataKeys.ROOT + repo.name() + "/")) {
            String[] parts = MetadataKeys.split(key);
            if (parts != null && parts[0].equals(repo.name().value())) {
                store.delete(key);
            }
        }
    }

    // ---- writes; callers hold repo.writeLock() ----

    /**
     * Records that {@code digest} (of {@code size} bytes) is available in the repository as of now. Linking
     * an already linked blob again (a re-upload, a mount) refreshes its link time, which restarts its
     * garbage-collection grace period.
     */
    public void linkLayer(RepositoryState repo, Digest digest, long size) {
        Instant now = clock.instant();
        store.put(MetadataKeys.layer(repo.name(), digest), MetadataJson.write(new LayerDoc(size, now)));
        repo.putLayer(digest, size, now);
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
        byte[] doc = MetadataJson.write(new TagDoc(tag.value(), digest));
        while (true) {
            Optional<MetadataStore.Versioned> current = store.get(key);
            if (current.isEmpty()) {
                if (store.createIfAbsent(key, doc)) {
                    repo.putTag(tag.value(), digest);
                    return null;
                }
            } else {
                Digest previous = MetadataJson.read(current.get().value(), TagDoc.class).digest();
                if (!previous.equals(digest) && !repo.record().tagMutability().mayMove(tag.value())) {
                    // checked against the stored value inside the CAS loop: of two concurrent pushes
                    // to an immutable tag, exactly one creates it and the other fails here
                    throw new TagImmutable(tag.value(), repo.name().value());
                }
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

    /**
     * Held (shared) by every operation that makes a blob reachable: committing or mounting a blob into a
     * repository, and storing a manifest that references blobs. Garbage collection takes
     * {@link #sweepLock()} while it decides and deletes, so no blob becomes reachable between "nothing
     * references it" and its deletion. Take it before any repository write lock.
     */
    public Lock pushLock() {
        return sweep.readLock();
    }

    /** Held (exclusive) by garbage collection while it sweeps; see {@link #pushLock()}. */
    public Lock sweepLock() {
        return sweep.writeLock();
    }
}
