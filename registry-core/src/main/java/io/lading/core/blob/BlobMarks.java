package io.lading.core.blob;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.lading.core.digest.Digest;
import io.lading.core.repository.MetadataJson;
import io.lading.core.spi.MetadataStore;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The persistent marks of garbage collection's two-phase delete, one metadata document per blob:
 * {@code gc/marks/<alg>/<hex>} holding {@code {"markedAt":…}}.
 *
 * <p>A collection that finds a blob unreferenced and past its grace period {@linkplain #mark marks} it; a
 * later collection deletes the blob only if the same mark is still there a second grace period later, and
 * makes that decision final by deleting the mark with compare-and-swap ({@link #consume}). Every push that
 * adopts a blob (commits an upload of it, mounts it, links it, stores a manifest that references it) first
 * {@linkplain #adopt clears} its mark, also by compare-and-swap. So of a collection and a push racing
 * for one blob, exactly one wins the mark: either the push cleared it and the collection keeps the blob,
 * or the collection consumed it, deletes the blob, and the push finds the blob gone (it re-writes it from
 * its upload, or answers as for any unknown blob). Callers do both under
 * {@link io.lading.core.repository.RepositoryIndex}'s push and sweep locks, which make "consume the mark,
 * then delete the blob" and "clear the mark, then use the blob" indivisible against each other in this
 * process. Thread-safe.
 */
public final class BlobMarks {

    /** The key prefix of every mark. */
    public static final String ROOT = "gc/marks/";

    private final MetadataStore store;

    public BlobMarks(MetadataStore store) {
        this.store = store;
    }

    /**
     * A stored mark.
     *
     * @param markedAt when a collection marked the blob, or null if the document is unreadable
     * @param version the document's version, for compare-and-swap
     */
    public record Mark(Digest digest, Instant markedAt, String version) {
    }

    private record MarkDoc(Instant markedAt) {
        @JsonCreator
        MarkDoc(@JsonProperty("markedAt") Instant markedAt) {
            this.markedAt = markedAt;
        }
    }

    static String key(Digest digest) {
        return ROOT + digest.algorithm().id() + "/" + digest.hex();
    }

    /** The blob's mark, or empty. */
    public Optional<Mark> find(Digest digest) {
        return store.get(key(digest)).map(v -> new Mark(digest, markedAt(v.value()), v.version()));
    }

    private static Instant markedAt(byte[] doc) {
        try {
            return MetadataJson.read(doc, MarkDoc.class).markedAt();
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Marks the blob as unreferenced since {@code now}; false, changing nothing, if it is already marked. */
    public boolean mark(Digest digest, Instant now) {
        return store.createIfAbsent(key(digest), MetadataJson.write(new MarkDoc(now)));
    }

    /**
     * Garbage collection's point of no return: deletes {@code mark} if it is unchanged. True means no push
     * adopted the blob since the mark was read, and the caller deletes the blob; false means keep it.
     */
    public boolean consume(Mark mark) {
        return store.delete(key(mark.digest()), mark.version());
    }

    /**
     * Clears the blob's mark, if any, by compare-and-swap (retrying when the mark changes under it), so
     * that no collection deletes the blob on the strength of a mark set before this adoption. Callers
     * hold the push lock and use the blob only afterwards. Returns whether a mark was cleared.
     */
    public boolean adopt(Digest digest) {
        boolean cleared = false;
        while (true) {
            Optional<MetadataStore.Versioned> current = store.get(key(digest));
            if (current.isEmpty()) {
                return cleared;
            }
            cleared |= store.delete(key(digest), current.get().version());
        }
    }
}
