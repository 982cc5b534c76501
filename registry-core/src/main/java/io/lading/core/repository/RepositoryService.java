package io.lading.core.repository;

import io.lading.core.error.RegistryException.RepositoryNotEmpty;
import io.lading.core.upload.UploadService;
import java.util.function.UnaryOperator;

/**
 * Explicit repository management (ECR's CreateRepository, DeleteRepository and the per-repository
 * settings operations). Pushes create repositories implicitly through
 * {@link io.lading.core.upload.UploadService#pushTarget} when configured to. Thread-safe.
 */
public final class RepositoryService {

    private final RepositoryIndex index;
    private final UploadService uploads;

    public RepositoryService(RepositoryIndex index, UploadService uploads) {
        this.index = index;
        this.uploads = uploads;
    }

    /** Creates a repository. @throws io.lading.core.error.RegistryException.RepositoryAlreadyExists */
    public RepositoryState create(RepositoryName name, RepositoryRecord record) {
        return index.createNew(name, record);
    }

    /** The repository. @throws io.lading.core.error.RegistryException.RepositoryNotFound */
    public RepositoryState get(RepositoryName name) {
        return index.require(name);
    }

    /** Changes the repository's settings atomically (compare-and-swap in the store). */
    public RepositoryRecord update(RepositoryName name, UnaryOperator<RepositoryRecord> change) {
        RepositoryState repo = index.require(name);
        repo.writeLock().lock();
        try {
            return index.update(repo, change);
        } finally {
            repo.writeLock().unlock();
        }
    }

    /**
     * Deletes the repository with its tags, image records, blob links, settings and open upload
     * sessions. Blob bytes stay until garbage collection proves nothing else references them.
     *
     * @param force delete even if images remain
     * @return the repository as it was just before deletion
     * @throws RepositoryNotEmpty if images remain and {@code force} is false
     */
    public RepositoryState delete(RepositoryName name, boolean force) {
        RepositoryState repo = index.require(name);
        repo.writeLock().lock();
        try {
            if (!force && repo.hasImages()) {
                throw new RepositoryNotEmpty(name.value());
            }
            index.delete(repo);
        } finally {
            repo.writeLock().unlock();
        }
        uploads.cancelAll(name); // frees their upload session slots too
        return repo;
    }
}
