package io.lading.storage.sql;

import io.lading.core.spi.SecretStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * {@link SecretStore} in the {@code secrets} table, on SQLite or PostgreSQL. Not cached: secrets are read
 * rarely (the signing key ring reloads them, see {@code SigningKeyRing}). Thread-safe.
 */
public final class SqlSecrets implements SecretStore {

    private final SqlTransactions tx;

    public SqlSecrets(SqlDatabase db) {
        this.tx = new SqlTransactions(db);
    }

    @Override
    public Optional<Versioned> get(String name) {
        SecretStore.checkName(name);
        return tx.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT value, version FROM secrets WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Versioned(r.getBytes(1), r.getLong(2))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean createIfAbsent(String name, byte[] value) {
        SecretStore.checkName(name);
        return tx.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO secrets (name, value, version) VALUES (?, ?, 1) ON CONFLICT (name) DO NOTHING")) {
                s.setString(1, name);
                s.setBytes(2, value.clone());
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean replace(String name, long expectedVersion, byte[] value) {
        SecretStore.checkName(name);
        return tx.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE secrets SET value = ?, version = version + 1 WHERE name = ? AND version = ?")) {
                s.setBytes(1, value.clone());
                s.setString(2, name);
                s.setLong(3, expectedVersion);
                return s.executeUpdate() == 1;
            }
        });
    }
}
