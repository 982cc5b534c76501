package io.lading.storage.sql;

import static io.lading.storage.sql.SqlImages.IMAGE_COLUMNS;
import static io.lading.storage.sql.SqlImages.imageOf;
import static io.lading.storage.sql.SqlTransactions.instant;
import static io.lading.storage.sql.SqlTransactions.micros;

import io.lading.core.digest.Digest;
import io.lading.core.image.ImageRecord;
import io.lading.core.image.ImageSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pages of a repository's images for {@link SqlMetadataCatalog}: whole records (a page's blobs and children
 * read in one statement each, not per image) and summaries (one statement over {@code manifests} alone).
 */
record SqlImagePages(SqlTransactions tx) {

    List<ImageRecord> images(long repository, Digest after, int limit) {
        // three statements per page, not two per image: the page's blobs and children are read first, for the
        // same digests as the page itself. The statements may see different moments, which is harmless: a
        // manifest's blobs and children never change while it exists, and a manifest stored after the first two
        // reads, found in neither, is completed by its own reads
        return tx.read(c -> {
            String from = after == null ? "" : after.toString();
            String page = "SELECT digest FROM manifests WHERE repository_id = ? AND digest > ? ORDER BY digest LIMIT ?";
            Map<String, List<Digest>> blobs = referencesOf(c, "SELECT manifest_digest, blob_digest FROM manifest_blobs"
                    + " WHERE repository_id = ? AND manifest_digest IN (" + page + ") ORDER BY manifest_digest, position",
                    repository, from, limit);
            Map<String, List<Digest>> children = referencesOf(c, "SELECT parent_digest, child_digest FROM manifest_children"
                    + " WHERE repository_id = ? AND parent_digest IN (" + page + ") ORDER BY parent_digest, position",
                    repository, from, limit);
            List<ImageRecord> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + IMAGE_COLUMNS + " FROM manifests"
                    + " WHERE repository_id = ? AND digest > ? ORDER BY digest LIMIT ?")) {
                s.setLong(1, repository);
                s.setString(2, from);
                s.setInt(3, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String digest = r.getString(1);
                        out.add(blobs.containsKey(digest) || children.containsKey(digest)
                                ? imageOf(r, blobs.getOrDefault(digest, List.of()), children.getOrDefault(digest, List.of()))
                                : imageOf(c, repository, r)); // none, or a manifest stored since the two reads
                    }
                }
            }
            return out;
        });
    }

    List<ImageSummary> imageSummaries(long repository, Digest after, int limit) {
        // one statement over manifests alone: listings show neither blobs nor children
        return summaries(SUMMARY_COLUMNS + " WHERE repository_id = ? AND digest > ? ORDER BY digest LIMIT ?",
                repository, after == null ? "" : after.toString(), limit);
    }

    List<ImageSummary> imageSummariesNewestFirst(long repository, ImageSummary after, int limit) {
        // manifests_by_push_time (repository_id, pushed_at) walked backwards; equal push times (microseconds)
        // are ranked by digest
        if (after == null) {
            return summaries(SUMMARY_COLUMNS + " WHERE repository_id = ? ORDER BY pushed_at DESC, digest LIMIT ?",
                    repository, limit);
        }
        long pushed = micros(after.pushedAt());
        return summaries(SUMMARY_COLUMNS + " WHERE repository_id = ? AND pushed_at <= ?"
                + " AND (pushed_at < ? OR digest > ?) ORDER BY pushed_at DESC, digest LIMIT ?",
                repository, pushed, pushed, after.digest().toString(), limit);
    }

    private static final String SUMMARY_COLUMNS = "SELECT digest, media_type, image_size, pushed_at, last_pulled_at,"
            + " subject_digest, artifact_type, config_media_type FROM manifests";

    private List<ImageSummary> summaries(String sql, Object... args) {
        return tx.read(c -> {
            List<ImageSummary> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql)) {
                SqlStatements.bind(s, args);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        long pulled = r.getLong(5);
                        Instant lastPulled = r.wasNull() ? null : instant(pulled);
                        String subject = r.getString(6);
                        out.add(new ImageSummary(Digest.parse(r.getString(1)), r.getString(2), r.getLong(3),
                                instant(r.getLong(4)), lastPulled, subject == null ? null : Digest.parse(subject),
                                r.getString(7), r.getString(8)));
                    }
                }
            }
            return out;
        });
    }

    /** (manifest, referenced digest) rows of a page, grouped by manifest in row order. */
    private static Map<String, List<Digest>> referencesOf(Connection c, String sql, long repository, String after, int limit)
            throws SQLException {
        Map<String, List<Digest>> out = new java.util.HashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, repository);
            s.setLong(2, repository);
            s.setString(3, after);
            s.setInt(4, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(Digest.parse(r.getString(2)));
                }
            }
        }
        return out;
    }
}
