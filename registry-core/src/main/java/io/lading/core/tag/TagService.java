package io.lading.core.tag;

import io.lading.core.RegistrySettings;
import io.lading.core.catalog.Page;
import io.lading.core.catalog.Pagination;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.repository.RepositoryName;
import io.lading.core.spi.MetadataCatalog.TagEntry;

/** Lists a repository's tags ({@code GET /v2/<name>/tags/list}). Reads the catalog (through its caches). Thread-safe. */
public final class TagService {

    private final RepositoryIndex index;
    private final RegistrySettings settings;

    public TagService(RepositoryIndex index, RegistrySettings settings) {
        this.index = index;
        this.settings = settings;
    }

    /**
     * Tags after {@code last}, at most {@code n} (capped), in lexical order.
     *
     * @throws io.lading.core.error.RegistryException.RepositoryNotFound if the repository does not exist
     */
    public Page<String> list(RepositoryName name, String n, String last) {
        var repo = index.require(name);
        return Pagination.page((after, limit) -> repo.tags(after, limit).stream().map(TagEntry::tag).toList(), last,
                Pagination.pageSize(n, settings.pageSizeMax()), null);
    }
}
