package io.lading.storage.sql;

import static io.lading.storage.sql.SqlDigestBatches.REFERENCE_BATCH;
import static io.lading.storage.sql.SqlTransactions.micros;
import static io.lading.storage.sql.SqlStatements.exists;
import static io.lading.storage.sql.SqlStatements.strings;
import static io.lading.storage.sql.SqlStatements.update;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.ManifestUnknown;
import io.lading.core.error.RegistryException.TagImmutable;
import io.lading.core.spi.MetadataCatalog.TagEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code tags} table for {@link SqlMetadataCatalog}: a tag's digest, pages of a repository's tags, the
 * tags of one image or of a batch of them, and setting (creating or moving, unless immutable) and removing
 * a tag.
 */
record SqlTags(SqlTransactions tx, String forUpdate) {

    Optional<Digest> tag(long repository, String tag) {
        return tx.read(c -> tag(c, repository, tag, ""));
    }

    private static Optional<Digest> tag(Connection c, long repository, String tag, String lock) throws SQLException {
        List<String> d = strings(c, "SELECT digest FROM tags WHERE repository_id = ? AND name = ?" + lock, repository, tag);
        return d.isEmpty() ? Optional.empty() : Optional.of(Digest.parse(d.get(0)));
    }

    List<TagEntry> tags(long repository, String after, int limit) {
        return tx.read(c -> {
            List<TagEntry> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name, digest FROM tags WHERE repository_id = ?"
                    + " AND name > ? ORDER BY name LIMIT ?")) {
                s.setLong(1, repository);
                s.setString(2, after == null ? "" : after);
                s.setInt(3, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new TagEntry(r.getString(1), Digest.parse(r.getString(2))));
                    }
                }
            }
            return out;
        });
    }

    List<String> tagsOf(long repository, Digest digest) {
        return tx.read(c -> strings(c, "SELECT name FROM tags WHERE repository_id = ? AND digest = ? ORDER BY name",
                repository, digest.toString()));
    }

    Map<Digest, List<String>> tagsOf(long repository, java.util.Collection<Digest> digests) {
        List<String> all = digests.stream().map(Digest::toString).distinct().toList();
        Map<Digest, List<String>> out = new LinkedHashMap<>();
        all.forEach(d -> out.put(Digest.parse(d), new ArrayList<>()));
        for (int from = 0; from < all.size(); from += REFERENCE_BATCH) {
            List<String> batch = all.subList(from, Math.min(from + REFERENCE_BATCH, all.size()));
            Object[] args = new Object[batch.size() + 1];
            args[0] = repository;
            for (int i = 0; i < batch.size(); i++) {
                args[i + 1] = batch.get(i);
            }
            tx.read(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT digest, name FROM tags WHERE repository_id = ?"
                        + " AND digest IN (" + String.join(", ", java.util.Collections.nCopies(batch.size(), "?"))
                        + ") ORDER BY digest, name")) {
                    SqlStatements.bind(s, args);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            out.get(Digest.parse(r.getString(1))).add(r.getString(2));
                        }
                    }
                }
                return null;
            });
        }
        return out;
    }

    Optional<Digest> setTag(long repository, String tag, Digest digest, Instant at, boolean mayMove) {
        return tx.write(c -> {
            if (!exists(c, "SELECT 1 FROM manifests WHERE repository_id = ? AND digest = ?" + forUpdate,
                    repository, digest.toString())) {
                throw new ManifestUnknown(digest.toString());
            }
            Optional<Digest> previous = tag(c, repository, tag, forUpdate);
            if (previous.isEmpty()) {
                // a new tag: of two concurrent creations one inserts, the other waits for it and then finds its row
                if (update(c, "INSERT INTO tags (repository_id, name, digest, updated_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (repository_id, name) DO NOTHING", repository, tag, digest.toString(), micros(at)) == 1) {
                    return previous;
                }
                previous = tag(c, repository, tag, forUpdate);
            }
            if (previous.isPresent() && previous.get().equals(digest)) {
                return previous;
            }
            if (previous.isPresent() && !mayMove) {
                String name = strings(c, "SELECT name FROM repositories WHERE id = ?", repository).stream().findFirst()
                        .orElse("");
                throw new TagImmutable(tag, name);
            }
            update(c, "UPDATE tags SET digest = ?, updated_at = ? WHERE repository_id = ? AND name = ?",
                    digest.toString(), micros(at), repository, tag);
            return previous;
        });
    }

    boolean removeTag(long repository, String tag) {
        return tx.write(c -> update(c, "DELETE FROM tags WHERE repository_id = ? AND name = ?", repository, tag) > 0);
    }
}
