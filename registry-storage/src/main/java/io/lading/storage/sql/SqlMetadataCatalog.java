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
import io.lading.core.error.RegistryException.BlobUnknown;
import io.lading.core.error.RegistryException.ManifestBlobUnknown;
import io.lading.core.error.RegistryException.ManifestUnknown;
import io.lading.core.error.RegistryException.ReferencedByIndex;
import io.lading.core.error.RegistryException.TagImmutable;
import io.lading.core.image.ImageRecord;
import io.lading.core.image.ImageSummary;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.repository.TagMutability;
import io.lading.core.spi.MetadataCatalog;
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
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@link MetadataCatalog} over Lading's SQL schema ({@code db/migration/V1__metadata.sql}) on SQLite or
 * PostgreSQL, with plain JDBC. Every method is one transaction ({@link SqlTransactions}); checks that
 * guard a write (the version of a repository, a tag's current digest, an index listing an image) read
 * the rows they depend on with {@code FOR UPDATE} on PostgreSQL, and inside SQLite's single writer
 * ({@code BEGIN IMMEDIATE}) otherwise, so two writers never both win. Lists and maps read and written
 * whole (mutability filters, resource tags, annotations) are JSON text. Thread-safe.
 */
public final class SqlMetadataCatalog implements MetadataCatalog {

    private static final String IMAGE_COLUMNS = "digest, content_digest, media_type, size, image_size, pushed_at,"
            + " last_pulled_at, subject_digest, artifact_type, config_media_type, annotations";
    private static final String REPOSITORY_COLUMNS = "id, name, created_at, tag_mutability, mutability_exclusions,"
            + " scan_on_push, encryption_type, kms_key, repository_policy, lifecycle_policy, resource_tags, version";

    private final SqlTransactions tx;
    private final String account;
    private final String forUpdate;
    private final String forKeyShare;
    private final Predicate<Digest> bytesPresent;

    /**
     * A catalog that trusts every blob it is asked to record to be stored (tests and tools that have no
     * blob store).
     *
     * @param account the registry's account id, recorded with every repository
     */
    public SqlMetadataCatalog(SqlDatabase db, String account) {
        this(db, account, digest -> true);
    }

    /**
     * @param account the registry's account id, recorded with every repository
     * @param bytesPresent whether the blob store holds a blob's bytes: asked, inside the writing transaction,
     *     before a blob gets a row (see {@link #holdBlob})
     */
    public SqlMetadataCatalog(SqlDatabase db, String account, Predicate<Digest> bytesPresent) {
        this.tx = new SqlTransactions(db);
        this.account = account;
        boolean pg = db.engine() == SqlEngine.POSTGRESQL;
        this.forUpdate = pg ? " FOR UPDATE" : "";
        this.forKeyShare = pg ? " FOR KEY SHARE" : "";
        this.bytesPresent = bytesPresent;
    }

    // ---- repositories ----

    @Override
    public Optional<StoredRepository> repository(String name) {
        return tx.read(c -> repository(c, name, ""));
    }

    private Optional<StoredRepository> repository(Connection c, String name, String lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + REPOSITORY_COLUMNS
                + " FROM repositories WHERE account = ? AND name = ?" + lock)) {
            s.setString(1, account);
            s.setString(2, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(repositoryOf(r)) : Optional.empty();
            }
        }
    }

    private static StoredRepository repositoryOf(ResultSet r) throws SQLException {
        List<String> filters = readJson(r.getString(5), new TypeReference<List<String>>() { });
        Map<String, String> tags = readJson(r.getString(11), new TypeReference<LinkedHashMap<String, String>>() { });
        RepositoryRecord record = new RepositoryRecord(instant(r.getLong(3)), new TagMutability(r.getString(4), filters),
                r.getInt(6) != 0, r.getString(7), r.getString(8), tags, r.getString(9), r.getString(10));
        return new StoredRepository(r.getLong(1), r.getString(2), record, r.getLong(12));
    }

    @Override
    public Optional<StoredRepository> createRepository(String name, RepositoryRecord record) {
        return tx.write(c -> {
            if (repository(c, name, forUpdate).isPresent()) {
                return Optional.empty();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO repositories (account, name, created_at,"
                    + " tag_mutability, mutability_exclusions, scan_on_push, encryption_type, kms_key, repository_policy,"
                    + " lifecycle_policy, resource_tags, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
                    + " ON CONFLICT (account, name) DO NOTHING")) {
                s.setString(1, account);
                s.setString(2, name);
                s.setLong(3, micros(record.createdAt()));
                bindSettings(s, 4, record);
                if (s.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            return repository(c, name, "");
        });
    }

    /** Binds the settings columns from tag_mutability to resource_tags, starting at {@code i}. */
    private static void bindSettings(PreparedStatement s, int i, RepositoryRecord record) throws SQLException {
        s.setString(i, record.tagMutability().mode());
        s.setString(i + 1, writeJson(record.tagMutability().filters()));
        s.setInt(i + 2, record.scanOnPush() ? 1 : 0);
        s.setString(i + 3, record.encryptionType());
        s.setString(i + 4, record.kmsKey());
        s.setString(i + 5, record.repositoryPolicy());
        s.setString(i + 6, record.lifecyclePolicy());
        s.setString(i + 7, writeJson(record.resourceTags()));
    }

    @Override
    public Optional<StoredRepository> updateRepository(long id, long expectedVersion, RepositoryRecord record) {
        return tx.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE repositories SET tag_mutability = ?,"
                    + " mutability_exclusions = ?, scan_on_push = ?, encryption_type = ?, kms_key = ?, repository_policy = ?,"
                    + " lifecycle_policy = ?, resource_tags = ?, version = version + 1 WHERE id = ? AND version = ?")) {
                bindSettings(s, 1, record);
                s.setLong(9, id);
                s.setLong(10, expectedVersion);
                if (s.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT " + REPOSITORY_COLUMNS + " FROM repositories WHERE id = ?")) {
                s.setLong(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(repositoryOf(r)) : Optional.<StoredRepository>empty();
                }
            }
        });
    }

    @Override
    public boolean deleteRepository(long id) {
        return tx.write(c -> update(c, "DELETE FROM repositories WHERE id = ?", id) > 0);
    }

    @Override
    public List<String> repositoryNames(String after, int limit) {
        return tx.read(c -> strings(c, "SELECT name FROM repositories WHERE account = ? AND name > ? ORDER BY name LIMIT ?",
                account, after == null ? "" : after, limit));
    }

    // ---- links ----

    @Override
    public Optional<BlobLink> link(long repository, Digest digest) {
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

    @Override
    public void putLink(long repository, Digest digest, long size, Instant linkedAt) {
        tx.write(c -> {
            if (!repositoryExists(c, repository)) {
                return null;
            }
            if (!holdBlob(c, digest, size, linkedAt)) {
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

    private boolean repositoryExists(Connection c, long repository) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM repositories WHERE id = ?" + forUpdate)) {
            s.setLong(1, repository);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

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
    private boolean holdBlob(Connection c, Digest digest, long size, Instant at) throws SQLException {
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

    @Override
    public void removeLink(long repository, Digest digest) {
        tx.write(c -> update(c, "DELETE FROM repository_blobs WHERE repository_id = ? AND digest = ?", repository, digest.toString()));
    }

    @Override
    public int removeLinksEverywhere(Digest digest) {
        return tx.write(c -> update(c, "DELETE FROM repository_blobs WHERE digest = ?", digest.toString()));
    }

    @Override
    public Optional<Instant> newestLink(Digest digest) {
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

    @Override
    public boolean referencedInRepository(long repository, Digest blob) {
        return tx.read(c -> exists(c, "SELECT 1 FROM manifest_blobs WHERE repository_id = ? AND blob_digest = ?",
                repository, blob.toString()));
    }

    @Override
    public boolean referencedAnywhere(Digest blob) {
        return tx.read(c -> exists(c, "SELECT 1 FROM manifest_blobs WHERE blob_digest = ?", blob.toString())
                || exists(c, "SELECT 1 FROM manifests WHERE content_digest = ?", blob.toString()));
    }

    /** At most this many digests per look-up statement (far below either engine's parameter limit). */
    private static final int REFERENCE_BATCH = 500;

    @Override
    public Set<Digest> referencedAmong(java.util.Collection<Digest> blobs) {
        return inBatches(blobs, batch -> {
            String marks = marks(batch.size());
            Object[] args = new Object[batch.size() * 2];
            for (int i = 0; i < batch.size(); i++) {
                args[i] = batch.get(i);
                args[batch.size() + i] = batch.get(i);
            }
            return tx.read(c -> strings(c, "SELECT DISTINCT blob_digest FROM manifest_blobs WHERE blob_digest IN ("
                    + marks + ") UNION SELECT DISTINCT content_digest FROM manifests WHERE content_digest IN (" + marks + ")",
                    args));
        });
    }

    @Override
    public Set<Digest> listedByIndex(long repository, java.util.Collection<Digest> digests) {
        return inBatches(digests, batch -> {
            Object[] args = new Object[batch.size() + 1];
            args[0] = repository;
            for (int i = 0; i < batch.size(); i++) {
                args[i + 1] = batch.get(i);
            }
            return tx.read(c -> strings(c, "SELECT DISTINCT child_digest FROM manifest_children WHERE repository_id = ?"
                    + " AND child_digest IN (" + marks(batch.size()) + ")", args));
        });
    }

    /** The digests {@code query} returns for {@code digests}, asked {@link #REFERENCE_BATCH} distinct ones at a time. */
    private static Set<Digest> inBatches(java.util.Collection<Digest> digests,
            java.util.function.Function<List<String>, List<String>> query) {
        List<String> all = digests.stream().map(Digest::toString).distinct().toList();
        Set<Digest> out = new java.util.HashSet<>();
        for (int from = 0; from < all.size(); from += REFERENCE_BATCH) {
            out.addAll(digests(query.apply(all.subList(from, Math.min(from + REFERENCE_BATCH, all.size())))));
        }
        return out;
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    // ---- images ----

    @Override
    public Optional<ImageRecord> image(long repository, Digest digest) {
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

    private ImageRecord imageOf(Connection c, long repository, ResultSet r) throws SQLException {
        String digest = r.getString(1);
        List<Digest> blobs = digests(strings(c, "SELECT blob_digest FROM manifest_blobs WHERE repository_id = ?"
                + " AND manifest_digest = ? ORDER BY position", repository, digest));
        List<Digest> children = digests(strings(c, "SELECT child_digest FROM manifest_children WHERE repository_id = ?"
                + " AND parent_digest = ? ORDER BY position", repository, digest));
        return imageOf(r, blobs, children);
    }

    /** The image of the current row of an {@link #IMAGE_COLUMNS} query, with its blobs and children. */
    private static ImageRecord imageOf(ResultSet r, List<Digest> blobs, List<Digest> children) throws SQLException {
        long pulled = r.getLong(7);
        Instant lastPulled = r.wasNull() ? null : instant(pulled);
        String subject = r.getString(8);
        Map<String, String> annotations = readJson(r.getString(11), new TypeReference<LinkedHashMap<String, String>>() { });
        return new ImageRecord(Digest.parse(r.getString(1)), Digest.parse(r.getString(2)), r.getString(3), r.getLong(4),
                r.getLong(5), instant(r.getLong(6)), lastPulled, blobs, children,
                subject == null ? null : Digest.parse(subject), r.getString(9), r.getString(10), annotations);
    }

    @Override
    public Optional<ImageRecord> putImage(long repository, ImageRecord record) {
        return tx.write(c -> {
            if (!repositoryExists(c, repository)) {
                return Optional.<ImageRecord>empty();
            }
            Optional<ImageRecord> existing = image(c, repository, record.digest());
            if (existing.isPresent()) {
                return existing;
            }
            List<Digest> missing = new ArrayList<>();
            if (!holdBlob(c, record.contentBlob(), record.manifestSize(), record.pushedAt())) {
                missing.add(record.contentBlob());
            }
            for (Digest d : new LinkedHashSet<>(record.blobs())) {
                if (!holdBlob(c, d, 0, record.pushedAt())) {
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

    @Override
    public void setLastPulledAt(long repository, Digest digest, Instant at) {
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

    @Override
    public List<String> removeImage(long repository, Digest digest) {
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

    @Override
    public List<ImageRecord> images(long repository, Digest after, int limit) {
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

    @Override
    public List<ImageSummary> imageSummaries(long repository, Digest after, int limit) {
        // one statement over manifests alone: listings show neither blobs nor children
        return tx.read(c -> {
            List<ImageSummary> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT digest, media_type, image_size, pushed_at, last_pulled_at,"
                    + " subject_digest, artifact_type, config_media_type FROM manifests"
                    + " WHERE repository_id = ? AND digest > ? ORDER BY digest LIMIT ?")) {
                s.setLong(1, repository);
                s.setString(2, after == null ? "" : after.toString());
                s.setInt(3, limit);
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

    @Override
    public boolean hasImages(long repository) {
        return tx.read(c -> exists(c, "SELECT 1 FROM manifests WHERE repository_id = ?", repository));
    }

    @Override
    public Set<Digest> parents(long repository, Digest child) {
        return tx.read(c -> new LinkedHashSet<>(digests(strings(c, "SELECT DISTINCT parent_digest FROM manifest_children"
                + " WHERE repository_id = ? AND child_digest = ? ORDER BY parent_digest", repository, child.toString()))));
    }

    @Override
    public List<Digest> referrers(long repository, Digest subject) {
        return tx.read(c -> digests(strings(c, "SELECT digest FROM manifests WHERE repository_id = ? AND subject_digest = ?"
                + " ORDER BY digest", repository, subject.toString())));
    }

    // ---- tags ----

    @Override
    public Optional<Digest> tag(long repository, String tag) {
        return tx.read(c -> tag(c, repository, tag, ""));
    }

    private static Optional<Digest> tag(Connection c, long repository, String tag, String lock) throws SQLException {
        List<String> d = strings(c, "SELECT digest FROM tags WHERE repository_id = ? AND name = ?" + lock, repository, tag);
        return d.isEmpty() ? Optional.empty() : Optional.of(Digest.parse(d.get(0)));
    }

    @Override
    public List<TagEntry> tags(long repository, String after, int limit) {
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

    @Override
    public List<String> tagsOf(long repository, Digest digest) {
        return tx.read(c -> strings(c, "SELECT name FROM tags WHERE repository_id = ? AND digest = ? ORDER BY name",
                repository, digest.toString()));
    }

    @Override
    public Map<Digest, List<String>> tagsOf(long repository, java.util.Collection<Digest> digests) {
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

    @Override
    public Optional<Digest> setTag(long repository, String tag, Digest digest, Instant at, boolean mayMove) {
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

    @Override
    public boolean removeTag(long repository, String tag) {
        return tx.write(c -> update(c, "DELETE FROM tags WHERE repository_id = ? AND name = ?", repository, tag) > 0);
    }
}
