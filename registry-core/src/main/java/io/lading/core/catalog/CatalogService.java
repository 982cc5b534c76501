package io.lading.core.catalog;

import io.lading.core.RegistrySettings;
import io.lading.core.repository.RepositoryIndex;

/** Lists repositories ({@code GET /v2/_catalog}). Reads the catalog a page at a time. Thread-safe. */
public final class CatalogService {

    private final RepositoryIndex index;
    private final RegistrySettings settings;

    public CatalogService(RepositoryIndex index, RegistrySettings settings) {
        this.index = index;
        this.settings = settings;
    }

    /** Repository names {@code visible} accepts, after {@code last}, at most {@code n} (capped). */
    public Page<String> list(String n, String last, java.util.function.Predicate<String> visible) {
        return Pagination.page(index::names, last, Pagination.pageSize(n, settings.pageSizeMax()), visible);
    }

    /** Repository names after {@code last}, at most {@code n} (capped). */
    public Page<String> list(String n, String last) {
        return Pagination.page(index::names, last, Pagination.pageSize(n, settings.pageSizeMax()), null);
    }
}
