package io.lading.storage.sql;

import io.lading.core.digest.Digest;
import java.util.List;
import java.util.Objects;

/**
 * One write to a {@link io.lading.core.spi.MetadataCatalog}, named by the cache entries it can make stale.
 * {@link CachedMetadataCatalog} publishes one per local write (to the listener it was given, e.g. a
 * PostgreSQL NOTIFY sender) and applies the ones it is handed ({@link CachedMetadataCatalog#invalidate},
 * e.g. from a LISTEN connection). Small and self-contained, so it can travel as a notification payload.
 */
public sealed interface CatalogChange {

    /** The repository named {@code name} was created (or a creation was tried). */
    record RepositoryCreated(String name) implements CatalogChange {
        public RepositoryCreated {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * The settings of repository {@code id} were replaced (or a replacement was tried). {@code name} is its
     * name if known; null makes the receiver find the cached name entries of that id itself.
     */
    record RepositoryUpdated(long id, String name) implements CatalogChange {
    }

    /** Repository {@code id} was deleted with its links, images and tags. */
    record RepositoryDeleted(long id) implements CatalogChange {
    }

    /** The link of {@code digest} into repository {@code repository} was put or removed. */
    record LinkChanged(long repository, Digest digest) implements CatalogChange {
        public LinkChanged {
            Objects.requireNonNull(digest, "digest");
        }
    }

    /** Every repository's link to {@code digest} was removed. */
    record LinksRemoved(Digest digest) implements CatalogChange {
        public LinksRemoved {
            Objects.requireNonNull(digest, "digest");
        }
    }

    /** The image was stored or its pull time changed. */
    record ImageChanged(long repository, Digest digest) implements CatalogChange {
        public ImageChanged {
            Objects.requireNonNull(digest, "digest");
        }
    }

    /**
     * The image was removed with the tags {@code tags} that named it; {@code tags} null means they are not
     * known (the write failed in an unknown state, or the list was too long to send), and makes the
     * receiver drop every cached tag of the repository that names {@code digest}.
     */
    record ImageRemoved(long repository, Digest digest, List<String> tags) implements CatalogChange {
        public ImageRemoved {
            Objects.requireNonNull(digest, "digest");
            tags = tags == null ? null : List.copyOf(tags);
        }
    }

    /** The tag was set, moved or removed (or that was tried). */
    record TagChanged(long repository, String tag) implements CatalogChange {
        public TagChanged {
            Objects.requireNonNull(tag, "tag");
        }
    }
}
