package io.lading.storage.sql;

import static io.lading.storage.sql.SqlTransactions.micros;
import static io.lading.storage.sql.SqlStatements.exists;

import io.lading.core.digest.Digest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * The {@code blobs} rows that links and image references point at, for {@link SqlMetadataCatalog}: a
 * writing transaction holds a blob's row (creating it only for bytes the blob store has) before it links
 * or references the blob.
 *
 * @param forKeyShare the lock clause that holds a row ({@code " FOR KEY SHARE"} on PostgreSQL, empty on SQLite)
 * @param bytesPresent whether the blob store holds a blob's bytes
 */
record SqlBlobRows(String forKeyShare, Predicate<Digest> bytesPresent) {

    /**
     * Holds the blob's row until the transaction ends (a key-share lock on PostgreSQL; SQLite's immediate
     * transaction excludes every other writer), creating it if it is missing, but only for bytes the blob
     * store has. Garbage collection deletes a blob's bytes and row together while holding the row, so a row
     * always stands for stored bytes: a held row cannot lose its bytes before this transaction commits, and
     * once it commits, the link or reference it wrote keeps them.
     *
     * @return false if the blob has no row and its bytes are not stored (collected meanwhile, or never
     *     stored); nothing was written
     */
    boolean holdBlob(Connection c, Digest digest, long size, Instant at) throws SQLException {
        String d = digest.toString();
        while (!exists(c, "SELECT 1 FROM blobs WHERE digest = ?" + forKeyShare, d)) {
            if (!bytesPresent.test(digest)) {
                return false;
            }
            ensureBlob(c, digest, size, at); // then held by the loop's next look-up
        }
        return true;
    }

    private static void ensureBlob(Connection c, Digest digest, long size, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO blobs (digest, size, created_at, adopted_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING")) {
            s.setString(1, digest.toString());
            s.setLong(2, size);
            s.setLong(3, micros(at));
            s.setLong(4, micros(at));
            s.executeUpdate();
        }
    }
}
