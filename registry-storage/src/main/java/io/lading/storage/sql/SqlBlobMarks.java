package io.lading.storage.sql;

import static io.lading.storage.sql.SqlStatements.exists;
import static io.lading.storage.sql.SqlStatements.update;
import static io.lading.storage.sql.SqlTransactions.instant;
import static io.lading.storage.sql.SqlTransactions.micros;

import io.lading.core.digest.Digest;
import io.lading.core.spi.BlobInfo;
import io.lading.core.spi.BlobMarkStore;
import io.lading.core.spi.LeaderLeases.Lease;
import io.lading.core.spi.LeaderLeases.LeaseLost;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link BlobMarkStore} in the {@code blobs} table: a mark is the row's {@code gc_marked_at}. Marking a
 * blob that has no row yet (bytes in the blob store that no push recorded, e.g. from an older version)
 * creates its row.
 *
 * <p>{@link #collect} runs in one transaction that proves the GC lease ({@link SqlLeases#prove}) and then
 * takes the blob's row ({@code SELECT ... FOR UPDATE} on PostgreSQL; SQLite's immediate transactions
 * exclude every other writer). Every write that makes the blob needed touches that row: {@link #adopt}
 * updates it, and a link or an image referencing the blob takes a key-share lock on it through its foreign
 * key. So such a write either committed before the row was taken, and the checks below see it (the mark
 * is gone, a link is new, an image references the blob: the blob is kept), or it waits until the
 * collection committed, by when the bytes are deleted; the pusher, which checks the blob store after
 * adopting, then finds them gone. The bytes are deleted inside the transaction for exactly that reason.
 */
public final class SqlBlobMarks implements BlobMarkStore {

    private final SqlTransactions tx;
    private final SqlLeases leases;
    private final String forUpdate;

    public SqlBlobMarks(SqlDatabase db, SqlLeases leases) {
        this.tx = new SqlTransactions(db);
        this.leases = leases;
        this.forUpdate = db.engine() == SqlEngine.POSTGRESQL ? " FOR UPDATE" : "";
    }

    @Override
    public Optional<Instant> markedAt(Digest digest) {
        return tx.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT gc_marked_at FROM blobs WHERE digest = ?")) {
                s.setString(1, digest.toString());
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    long at = r.getLong(1);
                    return r.wasNull() ? Optional.empty() : Optional.of(instant(at));
                }
            }
        });
    }

    @Override
    public boolean mark(BlobInfo blob, Instant at) {
        return tx.write(c -> {
            if (update(c, "UPDATE blobs SET gc_marked_at = ? WHERE digest = ? AND gc_marked_at IS NULL", micros(at),
                    blob.digest().toString()) == 1) {
                return true;
            }
            return update(c, "INSERT INTO blobs (digest, size, created_at, adopted_at, gc_marked_at) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (digest) DO NOTHING", blob.digest().toString(), blob.size(),
                    micros(blob.createdAt()), micros(blob.createdAt()), micros(at)) == 1;
        });
    }

    @Override
    public boolean adopt(Digest digest) {
        return tx.write(c -> update(c, "UPDATE blobs SET gc_marked_at = NULL WHERE digest = ? AND gc_marked_at IS NOT NULL",
                digest.toString()) == 1);
    }

    @Override
    public boolean collect(Lease lease, Digest digest, Instant markedAt, Instant cutoff, Runnable deleteBytes)
            throws LeaseLost {
        LeaseLost[] lost = new LeaseLost[1];
        boolean collected = tx.write(c -> {
            try {
                leases.prove(c, lease);
            } catch (LeaseLost e) {
                lost[0] = e;
                return false;
            }
            String d = digest.toString();
            if (!exists(c, "SELECT 1 FROM blobs WHERE digest = ? AND gc_marked_at = ?" + forUpdate, d, micros(markedAt))
                    || exists(c, "SELECT 1 FROM repository_blobs WHERE digest = ? AND linked_at >= ?", d, micros(cutoff))
                    || exists(c, "SELECT 1 FROM manifest_blobs WHERE blob_digest = ?", d)
                    || exists(c, "SELECT 1 FROM manifests WHERE content_digest = ?", d)) {
                return false;
            }
            update(c, "DELETE FROM repository_blobs WHERE digest = ?", d);
            update(c, "DELETE FROM blobs WHERE digest = ?", d);
            deleteBytes.run();
            return true;
        });
        if (lost[0] != null) {
            throw lost[0];
        }
        return collected;
    }

    /** The mark phase's window: each blob row with whether any image references it (two index probes). */
    private static final String WINDOW = "SELECT b.digest,"
            + " EXISTS (SELECT 1 FROM manifest_blobs mb WHERE mb.blob_digest = b.digest)"
            + " OR EXISTS (SELECT 1 FROM manifests m WHERE m.content_digest = b.digest)"
            + " FROM blobs b WHERE b.digest > ? ORDER BY b.digest LIMIT ?";

    @Override
    public Window unreferencedAfter(Digest after, int limit) {
        return tx.read(c -> {
            try (PreparedStatement s = c.prepareStatement(WINDOW)) {
                s.setString(1, after == null ? "" : after.toString());
                s.setInt(2, limit);
                int scanned = 0;
                String last = null;
                List<Digest> unreferenced = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        scanned++;
                        last = r.getString(1);
                        if (!r.getBoolean(2)) {
                            unreferenced.add(Digest.parse(last));
                        }
                    }
                }
                return new Window(scanned, last == null ? null : Digest.parse(last), unreferenced);
            }
        });
    }

    @Override
    public Set<Digest> unrecordedAmong(Collection<Digest> digests) {
        Set<Digest> recorded = SqlDigestBatches.inBatches(digests, batch -> tx.read(c -> SqlStatements.strings(c,
                "SELECT digest FROM blobs WHERE digest IN (" + SqlDigestBatches.marks(batch.size()) + ")", batch.toArray())));
        Set<Digest> unrecorded = new HashSet<>(digests);
        unrecorded.removeAll(recorded);
        return unrecorded;
    }
}
