package io.lading.storage.sql;

import static io.lading.storage.sql.CatalogCacheStripes.removeWhere;

import io.lading.core.digest.Digest;
import io.lading.storage.sql.CatalogCaches.ImageKey;
import io.lading.storage.sql.CatalogCaches.LinkKey;
import io.lading.storage.sql.CatalogCaches.TagKey;
import io.lading.storage.sql.CatalogChange.ImageChanged;
import io.lading.storage.sql.CatalogChange.ImageRemoved;
import io.lading.storage.sql.CatalogChange.LinkChanged;
import io.lading.storage.sql.CatalogChange.LinksRemoved;
import io.lading.storage.sql.CatalogChange.RepositoryCreated;
import io.lading.storage.sql.CatalogChange.RepositoryDeleted;
import io.lading.storage.sql.CatalogChange.RepositoryUpdated;
import io.lading.storage.sql.CatalogChange.TagChanged;
import java.util.Optional;

/**
 * Which entries of {@link CachedMetadataCatalog}'s caches a {@link CatalogChange} can have made stale, and
 * dropping them through {@link CatalogCacheStripes}, so that no load in flight puts them back.
 */
record CatalogInvalidation(CatalogCaches caches, CatalogCacheStripes stripes) {

    /** Drops the entries {@code change} can have made stale. */
    void invalidate(CatalogChange change) {
        switch (change) {
            case RepositoryCreated c -> stripes.invalidateKey(caches.repositories, c.name());
            case RepositoryUpdated c -> {
                if (c.name() != null) {
                    stripes.invalidateKey(caches.repositories, c.name());
                } else {
                    stripes.invalidateWhere(caches.repositories, (name, v) -> v.isPresent() && v.get().id() == c.id());
                }
            }
            case RepositoryDeleted c -> {
                long id = c.id();
                stripes.advanceAllGenerations();
                removeWhere(caches.repositories, (name, v) -> v.isPresent() && v.get().id() == id);
                removeWhere(caches.links, (k, v) -> k.repository() == id);
                removeWhere(caches.images, (k, v) -> k.repository() == id);
                removeWhere(caches.tags, (k, v) -> k.repository() == id);
                removeWhere(caches.tagPages, (k, v) -> k.repository() == id);
            }
            case LinkChanged c -> stripes.invalidateKey(caches.links, new LinkKey(c.repository(), c.digest()));
            case LinksRemoved c -> stripes.invalidateWhere(caches.links, (k, v) -> k.digest().equals(c.digest()));
            case ImageChanged c -> stripes.invalidateKey(caches.images, new ImageKey(c.repository(), c.digest()));
            case ImageRemoved c -> {
                stripes.invalidateKey(caches.images, new ImageKey(c.repository(), c.digest()));
                stripes.invalidateWhere(caches.tagPages, (k, v) -> k.repository() == c.repository());
                if (c.tags() != null) {
                    for (String tag : c.tags()) {
                        stripes.invalidateKey(caches.tags, new TagKey(c.repository(), tag));
                    }
                } else {
                    Optional<Digest> named = Optional.of(c.digest());
                    stripes.invalidateWhere(caches.tags, (k, v) -> k.repository() == c.repository() && v.equals(named));
                }
            }
            case TagChanged c -> {
                stripes.invalidateKey(caches.tags, new TagKey(c.repository(), c.tag()));
                // every page of the repository's list may hold the tag or move because of it
                stripes.invalidateWhere(caches.tagPages, (k, v) -> k.repository() == c.repository());
            }
        }
    }

    /** Drops every entry. */
    void invalidateAll() {
        stripes.advanceAllGenerations();
        caches.invalidateAll();
    }
}
