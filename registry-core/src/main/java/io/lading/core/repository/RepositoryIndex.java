package io.lading.core.repository;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.BlobUnknown;
import io.lading.core.error.RegistryException.RepositoryAlreadyExists;
import io.lading.core.error.RegistryException.RepositoryNotFound;
import io.lading.core.image.ImageRecord;
import io.lading.core.spi.MetadataCatalog;
import io.lading.core.spi.MetadataStore;
import io.lading.core.spi.QuarantinedDocument;
import io.lading.core.tag.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Every repository's metadata, in the {@link MetadataCatalog}: look-ups make short-lived
 * {@link RepositoryState} handles, and every write goes to the catalog, whose transactions keep
 * concurrent writers (threads and nodes) consistent. Memory does not grow with the number of
 * repositories or images: what stays in memory is the catalog's bounded caches.
 *
 * <p>Thread-safe. Write methods that change a repository are called with its
 * {@link RepositoryState#writeLock()} held; the services do this.
 */
public final class RepositoryIndex {

    /** Write locks are striped by name: bounded, and two names rarely share one. */
    private static final int LOCK_STRIPES = 1024;

    private final MetadataCatalog catalog;
    private final MetadataStore documents;
    private final Clock clock;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];
    private final ReentrantReadWriteLock sweep = new ReentrantReadWriteLock();

    /**
     * @param documents the document store: consulted for the quarantine of unreadable documents (a
     *     repository whose imported record was unreadable stays reserved until an operator repairs it)
     */
    public RepositoryIndex(MetadataCatalog catalog, MetadataStore documents, Clock clock) {
        this.catalog = catalog;
        this.documents = documents;
        this.clock = clock;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    private RepositoryState state(MetadataCatalog.StoredRepository stored) {
        return new RepositoryState(catalog, stored, locks[Math.floorMod(stored.name().hashCode(), LOCK_STRIPES)]);
    }

    /** Metadata documents that could not be read and were moved aside, at this start or an earlier one. */
    public List<QuarantinedDocument> quarantined() {
        return documents.quarantined();
    }

    /** The repository, or empty. */
    public Optional<RepositoryState> find(RepositoryName name) {
        return catalog.repository(name.value()).map(this::state);
    }

    /** The repository. @throws RepositoryNotFound if it does not exist */
    public RepositoryState require(RepositoryName name) {
        return find(name).orElseThrow(() -> new RepositoryNotFound(name.value()));
    }

    /** One page of repository names in lexical order, after {@code after} (exclusive; null: the first). */
    public List<String> names(String after, int limit) {
        return catalog.repositoryNames(after, limit);
    }

    /** Every repository, in name order, a page at a time (each handle as of its page). */
    public void forEach(Consumer<RepositoryState> action) {
        String after = null;
        int page = 200;
        while (true) {
            List<String> names = catalog.repositoryNames(after, page);
            for (String n : names) {
                catalog.repository(n).map(this::state).ifPresent(action);
            }
            if (names.size() < page) {
                return;
            }
            after = names.get(names.size() - 1);
        }
    }

    /**
     * Creates the repository if it does not exist (atomic in the catalog, so two nodes creating it at
     * once end with one). Returns the existing or new state.
     *
     * @throws RepositoryAlreadyExists if the name's record is in quarantine
     */
    public RepositoryState create(RepositoryName name) {
        Optional<RepositoryState> existing = find(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        refuseQuarantined(name);
        return catalog.createRepository(name.value(), RepositoryRecord.defaults(clock.instant())).map(this::state)
                .or(() -> find(name))
                .orElseThrow(() -> new RepositoryNotFound(name.value()));
    }

    /**
     * Creates a repository with the given settings.
     *
     * @throws RepositoryAlreadyExists if it exists (created here or by another node), or its record is in
     *     quarantine
     */
    public RepositoryState createNew(RepositoryName name, RepositoryRecord record) {
        refuseQuarantined(name);
        return catalog.createRepository(name.value(), record).map(this::state)
                .orElseThrow(() -> new RepositoryAlreadyExists(name.value()));
    }

    private void refuseQuarantined(RepositoryName name) {
        String key = MetadataKeys.repository(name);
        if (documents.quarantined().stream().anyMatch(q -> q.key().equals(key))) {
            throw RepositoryAlreadyExists.quarantined(name.value());
        }
    }

    /**
     * Replaces the repository's settings by compare-and-swap, retrying on concurrent changes (from other
     * nodes). Callers hold the repository's write lock.
     */
    public RepositoryRecord update(RepositoryState repo, UnaryOperator<RepositoryRecord> change) {
        long expected = repo.version();
        RepositoryRecord base = repo.record();
        while (true) {
            RepositoryRecord next = change.apply(base);
            Optional<MetadataCatalog.StoredRepository> stored = catalog.updateRepository(repo.id(), expected, next);
            if (stored.isPresent()) {
                repo.setRecord(stored.get().record(), stored.get().version());
                return stored.get().record();
            }
            MetadataCatalog.StoredRepository current = catalog.repository(repo.name().value())
                    .filter(r -> r.id() == repo.id())
                    .orElseThrow(() -> new RepositoryNotFound(repo.name().value()));
            expected = current.version();
            base = current.record();
        }
    }

    /**
     * Deletes the repository with its links, images and tags, in one transaction. Callers hold the
     * repository's write lock and have checked that it may go.
     */
    public void delete(RepositoryState repo) {
        catalog.deleteRepository(repo.id());
    }

    // ---- writes; callers hold repo.writeLock() ----

    /**
     * Records that {@code digest} (of {@code size} bytes) is available in the repository as of now. Linking
     * an already linked blob again (a re-upload, a mount) refreshes its link time, which restarts its
     * garbage-collection grace period.
     *
     * @throws BlobUnknown if garbage collection deleted the blob's bytes since the caller looked
     */
    public void linkLayer(RepositoryState repo, Digest digest, long size) {
        try {
            catalog.putLink(repo.id(), digest, size, clock.instant());
        } catch (BlobUnknown e) {
            throw new BlobUnknown(digest, repo.name().value()); // collected since the caller looked
        }
    }

    /** Removes the repository's link to a blob; the bytes stay until garbage collection. */
    public void unlinkLayer(RepositoryState repo, Digest digest) {
        catalog.removeLink(repo.id(), digest);
    }

    /**
     * Stores a new image record; an existing record for the digest is kept (re-push keeps pushedAt).
     *
     * @throws RepositoryNotFound if the repository was deleted meanwhile
     */
    public ImageRecord putImage(RepositoryState repo, ImageRecord record) {
        return catalog.putImage(repo.id(), record).orElseThrow(() -> new RepositoryNotFound(repo.name().value()));
    }

    /** Records the image's pull time; last writer wins, which is what a timestamp wants. */
    public void recordPull(RepositoryState repo, Digest digest, Instant at) {
        catalog.setLastPulledAt(repo.id(), digest, at);
    }

    /**
     * Removes an image and the tags that name it, unless an index in the repository lists it.
     *
     * @return the removed tags
     * @throws io.lading.core.error.RegistryException.ReferencedByIndex if an index lists it
     * @throws io.lading.core.error.RegistryException.ManifestUnknown if there is no such image
     */
    public List<String> removeImage(RepositoryState repo, Digest digest) {
        return catalog.removeImage(repo.id(), digest);
    }

    /**
     * Points {@code tag} at {@code digest}; the mutability check happens inside the catalog's transaction,
     * so of two concurrent pushes to an immutable tag (in this or another process) exactly one creates it.
     *
     * @return the digest the tag pointed at before, or null
     * @throws io.lading.core.error.RegistryException.TagImmutable if it may not move
     */
    public Digest setTag(RepositoryState repo, Tag tag, Digest digest) {
        boolean mayMove = repo.record().tagMutability().mayMove(tag.value());
        return catalog.setTag(repo.id(), tag.value(), digest, clock.instant(), mayMove).orElse(null);
    }

    /** Removes a tag; the image stays. */
    public void removeTag(RepositoryState repo, String tag) {
        catalog.removeTag(repo.id(), tag);
    }

    /** The catalog itself, for the queries that span repositories (garbage collection). */
    public MetadataCatalog catalog() {
        return catalog;
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
