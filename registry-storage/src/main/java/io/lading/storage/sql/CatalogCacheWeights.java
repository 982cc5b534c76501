package io.lading.storage.sql;

import io.lading.core.digest.Digest;
import io.lading.core.image.ImageRecord;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.spi.MetadataCatalog.BlobLink;
import io.lading.core.spi.MetadataCatalog.StoredRepository;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Estimated heap bytes of the entries {@link CachedMetadataCatalog} holds, for Caffeine's weigher. The
 * estimates are deliberately on the high side (8-byte references, every string and digest counted as its
 * own copy even where the JVM may share one), so a budget in bytes bounds the real heap the caches take.
 * An entry's weight is its key, its value and {@link #ENTRY} for the cache's own node and hash-table slot.
 */
final class CatalogCacheWeights {

    /** Caffeine's node (key, value, weight, access-order links) plus the hash table's node and slot. */
    static final long ENTRY = 120;
    private static final long HEADER = 16;
    private static final long REF = 8;
    /** A boxed-free record or small object: header plus its fields. */
    private static final long OPTIONAL = HEADER + REF;
    private static final long INSTANT = HEADER + 16;

    private CatalogCacheWeights() {
    }

    /** A compact (Latin-1) string: the String object and its byte array. */
    static long string(String s) {
        return s == null ? 0 : HEADER + 8 + REF + HEADER + 8 + s.length() * (long) (isLatin1(s) ? 1 : 2);
    }

    static long digest(Digest d) {
        return d == null ? 0 : HEADER + 2 * REF + string(d.hex());
    }

    private static long digests(Collection<Digest> ds) {
        long w = HEADER + 8 + HEADER + REF * ds.size();
        for (Digest d : ds) {
            w += digest(d);
        }
        return w;
    }

    private static long strings(Map<String, String> m) {
        long w = HEADER + 8 + HEADER + 2 * REF * m.size();
        for (Map.Entry<String, String> e : m.entrySet()) {
            w += string(e.getKey()) + string(e.getValue());
        }
        return w;
    }

    private static long strings(List<String> l) {
        long w = HEADER + 8 + HEADER + REF * l.size();
        for (String s : l) {
            w += string(s);
        }
        return w;
    }

    static long repositoryEntry(String name, Optional<StoredRepository> value) {
        long w = ENTRY + string(name) + OPTIONAL;
        if (value.isPresent()) {
            StoredRepository r = value.get();
            w += HEADER + 4 * REF + string(r.name()) + repositoryRecord(r.record());
        }
        return w;
    }

    private static long repositoryRecord(RepositoryRecord r) {
        if (r == null) {
            return 0;
        }
        long w = HEADER + 8 * REF + INSTANT + string(r.encryptionType()) + string(r.kmsKey())
                + string(r.repositoryPolicy()) + string(r.lifecyclePolicy()) + strings(r.resourceTags());
        if (r.tagMutability() != null) {
            w += HEADER + 2 * REF + string(r.tagMutability().mode()) + strings(r.tagMutability().filters());
        }
        return w;
    }

    /** A (repository, digest) key: the record, its boxed-free long and the digest. */
    static long repositoryDigestKey(Digest d) {
        return HEADER + 8 + REF + digest(d);
    }

    static long linkEntry(Digest key, Optional<BlobLink> value) {
        return ENTRY + repositoryDigestKey(key) + OPTIONAL
                + (value.isPresent() ? HEADER + 8 + REF + INSTANT : 0);
    }

    static long imageEntry(Digest key, Optional<ImageRecord> value) {
        return ENTRY + repositoryDigestKey(key) + OPTIONAL + value.map(CatalogCacheWeights::image).orElse(0L);
    }

    static long image(ImageRecord r) {
        return HEADER + 13 * REF + 16 + 2 * INSTANT
                + digest(r.digest()) + digest(r.contentBlob()) + digest(r.subject())
                + string(r.mediaType()) + string(r.artifactType()) + string(r.configMediaType())
                + digests(r.blobs()) + digests(r.children()) + strings(r.annotations());
    }

    static long tagEntry(String tag, Optional<Digest> value) {
        return ENTRY + HEADER + 8 + REF + string(tag) + OPTIONAL + value.map(CatalogCacheWeights::digest).orElse(0L);
    }

    /** Caffeine weighs in ints; a weight past that (an absurd record) is clamped, and then evicted at once. */
    static int clamp(long weight) {
        return (int) Math.min(Integer.MAX_VALUE, weight);
    }

    private static boolean isLatin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }
}
