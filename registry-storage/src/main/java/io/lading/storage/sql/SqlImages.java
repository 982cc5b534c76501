package io.lading.storage.sql;

import static io.lading.storage.sql.SqlTransactions.instant;
import static io.lading.storage.sql.SqlTransactions.micros;
import static io.lading.storage.sql.SqlStatements.digests;
import static io.lading.storage.sql.SqlStatements.exists;
import static io.lading.storage.sql.SqlStatements.readJson;
import static io.lading.storage.sql.SqlStatements.strings;
import static io.lading.storage.sql.SqlStatements.update;
import static io.lading.storage.sql.SqlStatements.writeJson;

import com.fasterxml.jackson.core.type.TypeReference;
import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.ManifestBlobUnknown;
import io.lading.core.error.RegistryException.ManifestUnknown;
import io.lading.core.error.RegistryException.ReferencedByIndex;
import io.lading.core.image.ImageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One image at a time in the {@code manifests} table and its child tables {@code manifest_blobs} and
 * {@code manifest_children}, for {@link SqlMetadataCatalog}: reading an image whole, storing one (holding
 * every blob it needs, see {@link SqlBlobRows#holdBlob}), its last pull time and its removal unless an
 * index lists it. Pages of images are {@link SqlImagePages}'.
 */
record SqlImages(SqlTransactions tx, SqlRepositories repositories, SqlBlobRows blobRows, String forUpdate) {

    static final String IMAGE_COLUMNS = "digest, content_digest, media_type, size, image_size, pushed_at,"
            + " last_pulled_at, subject_digest, artifact_type, config_media_type, annotations";

    Optional<ImageRecord> image(long repository, Digest digest) {
        return tx.read(c -> image(c, repository, digest));
    }

    private Optional<ImageRecord> image(Connection c, long repository, Digest digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + IMAGE_COLUMNS
                + " FROM manifests WHERE repository_id = ? AND digest = ?")) {
            s.setLong(1, repository);
            s.setString(2, digest.toString());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(imageOf(c, repository, r));
            }
        }
    }

    static ImageRecord imageOf(Connection c, long repository, ResultSet r) throws SQLException {
        String digest = r.getString(1);
        List<Digest> blobs = digests(strings(c, "SELECT blob_digest FROM manifest_blobs WHERE repository_id = ?"
                + " AND manifest_digest = ? ORDER BY position", repository, digest));
        List<Digest> children = digests(strings(c, "SELECT child_digest FROM manifest_children WHERE repository_id = ?"
                + " AND parent_digest = ? ORDER BY position", repository, digest));
        return imageOf(r, blobs, children);
    }

    /** The image of the current row of an {@link #IMAGE_COLUMNS} query, with its blobs and children. */
    static ImageRecord imageOf(ResultSet r, List<Digest> blobs, List<Digest> children) throws SQLException {
        long pulled = r.getLong(7);
        Instant lastPulled = r.wasNull() ? null : instant(pulled);
        String subject = r.getString(8);
        Map<String, String> annotations = readJson(r.getString(11), new TypeReference<LinkedHashMap<String, String>>() { });
        return new ImageRecord(Digest.parse(r.getString(1)), Digest.parse(r.getString(2)), r.getString(3), r.getLong(4),
                r.getLong(5), instant(r.getLong(6)), lastPulled, blobs, children,
                subject == null ? null : Digest.parse(subject), r.getString(9), r.getString(10), annotations);
    }

    Optional<ImageRecord> putImage(long repository, ImageRecord record) {
        return tx.write(c -> {
            if (!repositories.repositoryExists(c, repository)) {
                return Optional.<ImageRecord>empty();
            }
            Optional<ImageRecord> existing = image(c, repository, record.digest());
            if (existing.isPresent()) {
                return existing;
            }
            List<Digest> missing = new ArrayList<>();
            if (!blobRows.holdBlob(c, record.contentBlob(), record.manifestSize(), record.pushedAt())) {
                missing.add(record.contentBlob());
            }
            for (Digest d : new LinkedHashSet<>(record.blobs())) {
                if (!blobRows.holdBlob(c, d, 0, record.pushedAt())) {
                    missing.add(d);
                }
            }
            if (!missing.isEmpty()) {
                throw new ManifestBlobUnknown(missing);
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO manifests (repository_id, " + IMAGE_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setLong(1, repository);
                s.setString(2, record.digest().toString());
                s.setString(3, record.contentBlob().toString());
                s.setString(4, record.mediaType());
                s.setLong(5, record.manifestSize());
                s.setLong(6, record.imageSize());
                s.setLong(7, micros(record.pushedAt()));
                if (record.lastPulledAt() == null) {
                    s.setNull(8, Types.BIGINT);
                } else {
                    s.setLong(8, micros(record.lastPulledAt()));
                }
                s.setString(9, record.subject() == null ? null : record.subject().toString());
                s.setString(10, record.artifactType());
                s.setString(11, record.configMediaType());
                s.setString(12, record.annotations().isEmpty() ? null : writeJson(record.annotations()));
                s.executeUpdate();
            }
            insertList(c, "INSERT INTO manifest_blobs (repository_id, manifest_digest, position, blob_digest)"
                    + " VALUES (?, ?, ?, ?)", repository, record.digest(), record.blobs());
            insertList(c, "INSERT INTO manifest_children (repository_id, parent_digest, position, child_digest)"
                    + " VALUES (?, ?, ?, ?)", repository, record.digest(), record.children());
            return Optional.of(record);
        });
    }

    /** Inserts one row per list member with its position. */
    private static void insertList(Connection c, String sql, long repository, Digest owner, List<Digest> items)
            throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < items.size(); i++) {
                s.setLong(1, repository);
                s.setString(2, owner.toString());
                s.setInt(3, i);
                s.setString(4, items.get(i).toString());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    void setLastPulledAt(long repository, Digest digest, Instant at) {
        tx.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE manifests SET last_pulled_at = ? WHERE repository_id = ? AND digest = ?")) {
                s.setLong(1, micros(at));
                s.setLong(2, repository);
                s.setString(3, digest.toString());
                return s.executeUpdate();
            }
        });
    }

    List<String> removeImage(long repository, Digest digest) {
        return tx.write(c -> {
            if (!exists(c, "SELECT 1 FROM manifests WHERE repository_id = ? AND digest = ?" + forUpdate,
                    repository, digest.toString())) {
                throw new ManifestUnknown(digest.toString());
            }
            List<String> parents = strings(c, "SELECT parent_digest FROM manifest_children WHERE repository_id = ?"
                    + " AND child_digest = ? ORDER BY parent_digest LIMIT 1", repository, digest.toString());
            if (!parents.isEmpty()) {
                throw new ReferencedByIndex(digest, Digest.parse(parents.get(0)));
            }
            List<String> tags = strings(c, "SELECT name FROM tags WHERE repository_id = ? AND digest = ? ORDER BY name",
                    repository, digest.toString());
            // the manifest's tags, references and children go with it (ON DELETE CASCADE)
            update(c, "DELETE FROM manifests WHERE repository_id = ? AND digest = ?", repository, digest.toString());
            return tags;
        });
    }

    boolean hasImages(long repository) {
        return tx.read(c -> exists(c, "SELECT 1 FROM manifests WHERE repository_id = ?", repository));
    }
}
