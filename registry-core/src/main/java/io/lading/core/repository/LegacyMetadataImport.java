package io.lading.core.repository;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException;
import io.lading.core.error.RegistryException.BlobUnknown;
import io.lading.core.image.ImageRecord;
import io.lading.core.spi.MetadataCatalog;
import io.lading.core.spi.MetadataStore;
import io.lading.core.tag.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-time import of repository metadata written by Lading's file-per-document layout (one
 * {@link MetadataStore} document per repository, image, tag and blob link, under {@link MetadataKeys})
 * into the {@link MetadataCatalog}.
 *
 * <p>Protocol, so that a crash part way is repaired by the next start and a finished import never runs
 * again: the document {@link #MARKER} records {@code started} before the first write and {@code done}
 * after the last. At start-up: marker {@code done} — nothing to do; marker {@code started} — an earlier
 * import was cut short: its repositories are deleted from the catalog and the import runs again; no
 * marker — the import runs only if the catalog has no repositories (a catalog that already has some was
 * written by this version, and old documents next to it are ignored, with a warning). Imports happen
 * before the server opens its port, so no client write can be lost by the restart of an import.
 *
 * <p>The old documents are kept: an operator removes them once satisfied (docs/operations.md).
 * An unreadable document is moved to the store's quarantine with one ERROR line, as the old loader did.
 */
public final class LegacyMetadataImport {

    private static final Logger log = LoggerFactory.getLogger(LegacyMetadataImport.class);

    /** The document that records the import's progress. */
    public static final String MARKER = "migrations/sql-import";

    private final MetadataStore documents;
    private final MetadataCatalog catalog;
    private final Clock clock;

    public LegacyMetadataImport(MetadataStore documents, MetadataCatalog catalog, Clock clock) {
        this.documents = documents;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** What an import wrote, counted. */
    public record Counts(int repositories, int images, int tags, int links, int quarantined) {
    }

    private record Marker(String state, Instant at, Counts counts) {
    }

    /** A tag document; {@code tag} is null in documents written before long tags were hashed. */
    private record TagDoc(String tag, Digest digest) {
    }

    private record LayerDoc(long size, Instant linkedAt) {
    }

    /** Imports if needed (see the class comment); returns what was imported, or empty if nothing ran. */
    public Optional<Counts> runIfNeeded() {
        Optional<Marker> marker = documents.get(MARKER).map(v -> MetadataJson.read(v.value(), Marker.class));
        if (marker.isPresent() && "done".equals(marker.get().state())) {
            return Optional.empty();
        }
        List<String> keys = documents.list(MetadataKeys.ROOT);
        if (keys.isEmpty() && marker.isEmpty()) {
            return Optional.empty();
        }
        if (marker.isEmpty() && !catalog.repositoryNames(null, 1).isEmpty()) {
            log.warn("Ignoring {} metadata documents of the file layout under {}: the SQL metadata already has"
                    + " repositories", keys.size(), MetadataKeys.ROOT);
            return Optional.empty();
        }
        if (marker.isPresent()) {
            log.warn("An earlier import of the file layout's metadata was cut short: importing it again");
            clearCatalog();
        }
        documents.put(MARKER, MetadataJson.write(new Marker("started", clock.instant(), null)));
        Counts counts = importAll(keys);
        documents.put(MARKER, MetadataJson.write(new Marker("done", clock.instant(), counts)));
        log.info("Imported the file layout's metadata into SQL: {} repositories, {} images, {} tags, {} blob links"
                + "{}; the documents under {} are no longer read and may be removed", counts.repositories(),
                counts.images(), counts.tags(), counts.links(),
                counts.quarantined() == 0 ? "" : " (" + counts.quarantined() + " unreadable documents quarantined)",
                MetadataKeys.ROOT);
        return Optional.of(counts);
    }

    private void clearCatalog() {
        List<String> names;
        while (!(names = catalog.repositoryNames(null, 500)).isEmpty()) {
            for (String n : names) {
                catalog.repository(n).ifPresent(r -> catalog.deleteRepository(r.id()));
            }
        }
    }

    private Counts importAll(List<String> keys) {
        int[] quarantined = {0};
        Map<String, Long> ids = new HashMap<>();
        Map<String, List<String>> rest = new HashMap<>();
        for (String key : keys) {
            String[] parts = MetadataKeys.split(key);
            if (parts == null) {
                continue;
            }
            if (parts[1].equals(MetadataKeys.REPOSITORY)) {
                Optional<MetadataStore.Versioned> v = documents.get(key);
                if (v.isPresent() && !load(key, quarantined, () -> {
                    RepositoryName name = RepositoryName.of(parts[0]);
                    RepositoryRecord record = MetadataJson.read(v.get().value(), RepositoryRecord.class);
                    catalog.createRepository(name.value(), record)
                            .or(() -> catalog.repository(name.value()))
                            .ifPresent(r -> ids.put(name.value(), r.id()));
                })) {
                    continue;
                }
            } else {
                rest.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
            }
        }
        int images = 0;
        int tags = 0;
        int links = 0;
        // links, then images, then tags: a tag needs its image in the catalog
        for (String kind : List.of(MetadataKeys.LAYERS, MetadataKeys.MANIFESTS, MetadataKeys.TAGS)) {
            for (Map.Entry<String, List<String>> e : rest.entrySet()) {
                Long id = ids.get(e.getKey());
                if (id == null) {
                    continue; // documents of a repository whose record is gone or quarantined
                }
                for (String suffix : e.getValue()) {
                    if (!suffix.startsWith(kind + "/")) {
                        continue;
                    }
                    String key = MetadataKeys.ROOT + e.getKey() + "/" + suffix;
                    Optional<MetadataStore.Versioned> value = documents.get(key);
                    if (value.isEmpty()) {
                        continue;
                    }
                    byte[] bytes = value.get().value();
                    boolean ok = load(key, quarantined, () -> importDocument(id, e.getKey(), kind, suffix, bytes));
                    if (ok && kind.equals(MetadataKeys.LAYERS)) {
                        links++;
                    } else if (ok && kind.equals(MetadataKeys.MANIFESTS)) {
                        images++;
                    } else if (ok) {
                        tags++;
                    }
                }
            }
        }
        return new Counts(ids.size(), images, tags, links, quarantined[0]);
    }

    private void importDocument(long id, String repository, String kind, String suffix, byte[] bytes) {
        String name = suffix.substring(kind.length() + 1);
        if (kind.equals(MetadataKeys.LAYERS)) {
            Digest d = Digest.parse(name.replace('/', ':'));
            LayerDoc doc = MetadataJson.read(bytes, LayerDoc.class);
            try {
                catalog.putLink(id, d, doc.size(), doc.linkedAt() == null ? Instant.EPOCH : doc.linkedAt());
            } catch (BlobUnknown e) {
                // a link to bytes the old root no longer has: it served nothing, and is not carried over
                log.warn("Not imported: {} links {}, whose bytes are not in the blob store", repository, d);
            }
        } else if (kind.equals(MetadataKeys.MANIFESTS)) {
            ImageRecord image = MetadataJson.read(bytes, ImageRecord.class);
            for (Object member : new Object[] {image.digest(), image.contentBlob(), image.mediaType(), image.pushedAt()}) {
                Objects.requireNonNull(member, "an image record lacks digest, contentBlob, mediaType or pushedAt");
            }
            catalog.putImage(id, image);
        } else {
            TagDoc doc = MetadataJson.read(bytes, TagDoc.class);
            String tag = doc.tag() != null ? Tag.of(doc.tag()).value() : name;
            try {
                catalog.setTag(id, tag, Objects.requireNonNull(doc.digest(), "digest"), clock.instant(), true);
            } catch (RegistryException.ManifestUnknown e) {
                log.warn("Not importing tag {} of {}: it names {}, which the repository has no image of", tag,
                        repository, doc.digest());
            }
        }
    }

    /**
     * Runs {@code loader} for the document at {@code key}; if the document cannot be read (bad JSON, a
     * missing or invalid field), moves it to the store's quarantine with one ERROR line instead of
     * failing the start: one damaged file must not take every repository offline.
     */
    private boolean load(String key, int[] quarantined, Runnable loader) {
        try {
            loader.run();
            return true;
        } catch (RuntimeException e) {
            String reason = e.getCause() != null ? e.getMessage() + ": " + e.getCause().getMessage() : String.valueOf(e.getMessage());
            documents.quarantine(key, reason, clock.instant()).ifPresent(q -> log.error(
                    "Quarantined unreadable metadata document {} ({}): moved to {}", key, reason, q.quarantinePath()));
            quarantined[0]++;
            return false;
        }
    }
}
