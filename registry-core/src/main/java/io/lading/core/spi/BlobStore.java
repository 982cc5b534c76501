package io.lading.core.spi;

import io.lading.core.digest.Digest;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Content-addressed blob storage shared by every repository. A blob becomes visible only through
 * {@link UploadStore#commit}, whole and under the digest the caller verified; readers never see a partial
 * blob. Implementations are thread-safe and may be shared by several server processes.
 *
 * <p>Blobs are immutable: two commits of the same digest leave one blob. Deletion is only for garbage
 * collection, which must have proven that nothing references the blob.
 */
public interface BlobStore {

    /** The blob's size and creation time, or empty if it is not stored. */
    Optional<BlobInfo> stat(Digest digest);

    /**
     * Opens {@code length} bytes of the blob starting at {@code offset}. The caller validated the range
     * against {@link #stat}. The caller owns the returned content and must close it.
     *
     * @throws io.lading.core.error.RegistryException.BlobUnknown if the blob is not stored
     */
    BlobContent open(Digest digest, long offset, long length);

    /**
     * A URL from which a client may fetch the stored blob itself, any range of it, for a short time (for
     * example a pre-signed S3 GET), or empty when this store serves bytes only through {@link #open}. The
     * front end answers a client's blob download with a redirect there ({@link BlobContent.Redirect});
     * services that read a blob themselves (manifests) always use {@link #open}. Makes no request to the
     * storage: it does not check that the blob exists.
     */
    default Optional<URI> downloadUrl(Digest digest) {
        return Optional.empty();
    }

    /** Removes the blob. Deleting a missing blob is not an error. Returns whether a blob was removed. */
    boolean delete(Digest digest);

    /** Calls {@code sink} once for every stored blob, in no particular order (used by GC). */
    void forEach(Consumer<BlobInfo> sink);

    /**
     * Calls {@code sink} once with the digest of every stored blob, in no particular order: as
     * {@link #forEach} without the size and time, which a store may be able to list more cheaply (local
     * disk: names only, no file status per blob). Garbage collection uses it to find bytes that no metadata
     * records.
     */
    default void forEachDigest(Consumer<Digest> sink) {
        forEach(blob -> sink.accept(blob.digest()));
    }

    /**
     * Removes what interrupted writes left behind that this store cannot see as blobs, started before
     * {@code startedBefore} (an object store's multipart uploads that a crash left neither completed nor
     * aborted: invisible, but billed). The upload expiry calls it with its own cutoff, which no running
     * commit is older than. Returns how many it removed; a store whose writes leave nothing behind removes
     * nothing (the default).
     */
    default int removeAbandonedWrites(java.time.Instant startedBefore) {
        return 0;
    }
}
