package io.lading.core.blob;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.BlobUnknown;
import io.lading.core.image.ImageRecord;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryState;
import io.lading.core.spi.BlobContent;
import io.lading.core.spi.BlobStore;
import java.net.URI;
import java.util.Optional;

/**
 * Reads and unlinks blobs in the scope of a repository: a blob is visible in a repository only after it
 * was uploaded or mounted there (manifests are visible as blobs too, as in Distribution). Size lookups
 * answer from memory. Thread-safe.
 */
public final class BlobService {

    private final RepositoryIndex index;
    private final BlobStore blobs;

    public BlobService(RepositoryIndex index, BlobStore blobs) {
        this.index = index;
        this.blobs = blobs;
    }

    /**
     * The size of {@code digest} in the repository.
     *
     * @throws io.lading.core.error.RegistryException.RepositoryNotFound if the repository does not exist
     * @throws BlobUnknown if the blob is not linked into it
     */
    public long size(RepositoryName name, Digest digest) {
        RepositoryState repo = index.require(name);
        Optional<Long> layer = repo.layerSize(digest);
        if (layer.isPresent()) {
            return layer.get();
        }
        return repo.image(digest).map(ImageRecord::manifestSize)
                .orElseThrow(() -> new BlobUnknown(digest, name.value()));
    }

    /**
     * Opens {@code length} bytes at {@code offset} of a blob linked into the repository; the caller has
     * checked the range against {@link #size}. The caller closes the content.
     */
    public BlobContent open(RepositoryName name, Digest digest, long offset, long length) {
        return blobs.open(stored(name, digest), offset, length);
    }

    /**
     * The bytes of a blob linked into the repository for a client to download: a
     * {@link BlobContent.Redirect} to the store's {@link BlobStore#downloadUrl} when it has one (the client
     * sends its {@code Range} there), otherwise {@link #open}. The caller closes the content.
     */
    public BlobContent download(RepositoryName name, Digest digest, long offset, long length) {
        Digest stored = stored(name, digest);
        Optional<URI> url = blobs.downloadUrl(stored);
        if (url.isPresent()) {
            return new BlobContent.Redirect(url.get(), length);
        }
        return blobs.open(stored, offset, length);
    }

    /**
     * The store's direct download URL of a blob linked into the repository (see
     * {@link BlobStore#downloadUrl}), or empty when the store has none.
     */
    public Optional<URI> downloadUrl(RepositoryName name, Digest digest) {
        return blobs.downloadUrl(stored(name, digest));
    }

    /** The stored blob behind {@code digest} in the repository: a layer, or a manifest's content blob. */
    private Digest stored(RepositoryName name, Digest digest) {
        RepositoryState repo = index.require(name);
        if (repo.layerSize(digest).isPresent()) {
            return digest;
        }
        return repo.image(digest).map(ImageRecord::contentBlob)
                .orElseThrow(() -> new BlobUnknown(digest, name.value()));
    }
}
