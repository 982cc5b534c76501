package io.lading.storage.sql;

import static io.lading.storage.sql.SqlTransactions.instant;
import static io.lading.storage.sql.SqlTransactions.micros;
import static io.lading.storage.sql.SqlStatements.update;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.BlobUnknown;
import io.lading.core.spi.MetadataCatalog.BlobLink;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code repository_blobs} table for {@link SqlMetadataCatalog}: a blob's link into a repository, its
 * creation (holding the blob's row, see {@link SqlBlobRows#holdBlob}) and removal, and a blob's newest link
 * in any repository.
 */
record SqlBlobLinks(SqlTransactions tx, SqlRepositories repositories, SqlBlobRows blobRows) {

    Optional<BlobLink> link(long repository, Digest digest) {
        return tx.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT b.size, l.linked_at FROM repository_blobs l"
                    + " JOIN blobs b ON b.digest = l.digest WHERE l.repository_id = ? AND l.digest = ?")) {
                s.setLong(1, repository);
                s.setString(2, digest.toString());
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new BlobLink(r.getLong(1), instant(r.getLong(2)))) : Optional.empty();
                }
            }
        });
    }

    void putLink(long repository, Digest digest, long size, Instant linkedAt) {
        tx.write(c -> {
            if (!repositories.repositoryExists(c, repository)) {
                return null;
            }
            if (!blobRows.holdBlob(c, digest, size, linkedAt)) {
                throw new BlobUnknown(digest, "");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO repository_blobs (repository_id, digest, linked_at)"
                    + " VALUES (?, ?, ?) ON CONFLICT (repository_id, digest) DO UPDATE SET linked_at = excluded.linked_at")) {
                s.setLong(1, repository);
                s.setString(2, digest.toString());
                s.setLong(3, micros(linkedAt));
                s.executeUpdate();
            }
            return null;
        });
    }

    void removeLink(long repository, Digest digest) {
        tx.write(c -> update(c, "DELETE FROM repository_blobs WHERE repository_id = ? AND digest = ?", repository, digest.toString()));
    }

    int removeLinksEverywhere(Digest digest) {
        return tx.write(c -> update(c, "DELETE FROM repository_blobs WHERE digest = ?", digest.toString()));
    }

    Optional<Instant> newestLink(Digest digest) {
        return tx.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT MAX(linked_at) FROM repository_blobs WHERE digest = ?")) {
                s.setString(1, digest.toString());
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        long v = r.getLong(1);
                        return r.wasNull() ? Optional.<Instant>empty() : Optional.of(instant(v));
                    }
                    return Optional.<Instant>empty();
                }
            }
        });
    }
}
