package io.lading.storage.sql;

import static io.lading.storage.sql.SqlTransactions.instant;
import static io.lading.storage.sql.SqlTransactions.micros;
import static io.lading.storage.sql.SqlStatements.readJson;
import static io.lading.storage.sql.SqlStatements.strings;
import static io.lading.storage.sql.SqlStatements.update;
import static io.lading.storage.sql.SqlStatements.writeJson;

import com.fasterxml.jackson.core.type.TypeReference;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.repository.TagMutability;
import io.lading.core.spi.MetadataCatalog.StoredRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code repositories} table for {@link SqlMetadataCatalog}: a repository by name, its creation,
 * compare-and-swap of its settings by version, its deletion (its links, images and tags go with it by
 * {@code ON DELETE CASCADE}) and the pages of names; and the locked existence check that writes into a
 * repository start with.
 */
record SqlRepositories(SqlTransactions tx, String account, String forUpdate) {

    private static final String REPOSITORY_COLUMNS = "id, name, created_at, tag_mutability, mutability_exclusions,"
            + " scan_on_push, encryption_type, kms_key, repository_policy, lifecycle_policy, resource_tags, version";

    Optional<StoredRepository> repository(String name) {
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

    Optional<StoredRepository> createRepository(String name, RepositoryRecord record) {
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

    Optional<StoredRepository> updateRepository(long id, long expectedVersion, RepositoryRecord record) {
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

    boolean deleteRepository(long id) {
        return tx.write(c -> update(c, "DELETE FROM repositories WHERE id = ?", id) > 0);
    }

    List<String> repositoryNames(String after, int limit) {
        return tx.read(c -> strings(c, "SELECT name FROM repositories WHERE account = ? AND name > ? ORDER BY name LIMIT ?",
                account, after == null ? "" : after, limit));
    }

    /** Whether the repository exists; on PostgreSQL its row stays locked until the transaction ends. */
    boolean repositoryExists(Connection c, long repository) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM repositories WHERE id = ?" + forUpdate)) {
            s.setLong(1, repository);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }
}
