package io.lading.storage.sql;

import static io.lading.storage.sql.SqlStatements.exists;
import static io.lading.storage.sql.SqlStatements.update;
import static io.lading.storage.sql.SqlTransactions.instant;
import static io.lading.storage.sql.SqlTransactions.micros;

import io.lading.core.spi.LifecyclePreviewStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link LifecyclePreviewStore} in the {@code lifecycle_previews} and {@code lifecycle_preview_entries}
 * tables, on SQLite or PostgreSQL. A replacement is one transaction: it first upserts the repository's
 * header row, which on PostgreSQL holds that row until commit, so a concurrent replacement of the same
 * repository waits and then replaces this one whole (SQLite has one writer anyway); then it deletes the old
 * entries and inserts the new ones in batches. Not cached: previews are read a page at a time, rarely.
 */
public final class SqlLifecyclePreviews implements LifecyclePreviewStore {

    /** Rows sent to the database per batch of inserts. */
    private static final int INSERT_BATCH = 500;

    private final SqlTransactions tx;

    public SqlLifecyclePreviews(SqlDatabase db) {
        this.tx = new SqlTransactions(db);
    }

    @Override
    public boolean replace(long repository, Header header, Iterable<Entry> entries) {
        return tx.write(c -> {
            if (!exists(c, "SELECT 1 FROM repositories WHERE id = ?", repository)) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO lifecycle_previews"
                    + " (repository_id, policy_text, created_at, summary, entry_count) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (repository_id) DO UPDATE SET policy_text = excluded.policy_text,"
                    + " created_at = excluded.created_at, summary = excluded.summary, entry_count = excluded.entry_count")) {
                s.setLong(1, repository);
                s.setString(2, header.policyText());
                s.setLong(3, micros(header.createdAt()));
                s.setString(4, header.summary());
                s.setInt(5, header.entryCount());
                s.executeUpdate();
            }
            update(c, "DELETE FROM lifecycle_preview_entries WHERE repository_id = ?", repository);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO lifecycle_preview_entries"
                    + " (repository_id, position, image_digest, tagged, entry) VALUES (?, ?, ?, ?, ?)")) {
                int position = 0;
                for (Entry e : entries) {
                    s.setLong(1, repository);
                    s.setInt(2, position++);
                    s.setString(3, e.imageDigest());
                    s.setInt(4, e.tagged() ? 1 : 0);
                    s.setString(5, e.json());
                    s.addBatch();
                    if (position % INSERT_BATCH == 0) {
                        s.executeBatch();
                    }
                }
                s.executeBatch();
                if (position != header.entryCount()) {
                    throw new IllegalArgumentException("the header counts " + header.entryCount() + " entries, "
                            + position + " were given");
                }
            }
            return true;
        });
    }

    @Override
    public Optional<Header> header(long repository) {
        return tx.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT policy_text, created_at, summary, entry_count"
                    + " FROM lifecycle_previews WHERE repository_id = ?")) {
                s.setLong(1, repository);
                try (ResultSet r = s.executeQuery()) {
                    return r.next()
                            ? Optional.of(new Header(r.getString(1), instant(r.getLong(2)), r.getString(3), r.getInt(4)))
                            : Optional.<Header>empty();
                }
            }
        });
    }

    @Override
    public List<Numbered> entries(long repository, Boolean tagged, int after, int limit) {
        return tx.read(c -> {
            String filter = tagged == null ? "" : " AND tagged = " + (tagged ? 1 : 0);
            try (PreparedStatement s = c.prepareStatement("SELECT position, image_digest, tagged, entry"
                    + " FROM lifecycle_preview_entries WHERE repository_id = ?" + filter
                    + " AND position > ? ORDER BY position LIMIT ?")) {
                s.setLong(1, repository);
                s.setInt(2, after);
                s.setInt(3, limit);
                List<Numbered> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Numbered(r.getInt(1), new Entry(r.getString(2), r.getInt(3) == 1, r.getString(4))));
                    }
                }
                return out;
            }
        });
    }
}
