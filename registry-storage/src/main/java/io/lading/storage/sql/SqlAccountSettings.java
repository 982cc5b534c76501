package io.lading.storage.sql;

import io.lading.core.account.AccountSettings;
import io.lading.core.account.AccountSettings.ScanningConfiguration;
import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.repository.MetadataJson;
import io.lading.core.spi.AccountSettingsStore;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * {@link AccountSettingsStore} in the {@code account_settings} table, one row per account: the registry
 * policy verbatim in {@code registry_policy}, the scanning configuration as JSON in
 * {@code scanning_configuration}. {@code replication_configuration} is not modelled yet: rows are created
 * with it null and replaces leave it as it is. Reads are not cached here (see
 * {@link CachedAccountSettings}). Thread-safe.
 */
public final class SqlAccountSettings implements AccountSettingsStore {

    private final SqlTransactions tx;

    public SqlAccountSettings(SqlDatabase db) {
        this.tx = new SqlTransactions(db);
    }

    @Override
    public Optional<Versioned> get(String account) {
        return tx.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT registry_policy, scanning_configuration, version"
                    + " FROM account_settings WHERE account = ?")) {
                s.setString(1, account);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Versioned(new AccountSettings(r.getString(1),
                            scanning(account, r.getString(2))), r.getLong(3))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean createIfAbsent(String account, AccountSettings settings) {
        return tx.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO account_settings (account, registry_policy,"
                    + " scanning_configuration, version) VALUES (?, ?, ?, 1) ON CONFLICT (account) DO NOTHING")) {
                s.setString(1, account);
                s.setString(2, settings.registryPolicy());
                s.setString(3, json(settings.scanning()));
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean replace(String account, long expectedVersion, AccountSettings settings) {
        return tx.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE account_settings SET registry_policy = ?,"
                    + " scanning_configuration = ?, version = version + 1 WHERE account = ? AND version = ?")) {
                s.setString(1, settings.registryPolicy());
                s.setString(2, json(settings.scanning()));
                s.setString(3, account);
                s.setLong(4, expectedVersion);
                return s.executeUpdate() == 1;
            }
        });
    }

    private static String json(ScanningConfiguration scanning) {
        return new String(MetadataJson.write(scanning), StandardCharsets.UTF_8);
    }

    /** @throws StorageFailure if the stored text does not parse (fail closed, see {@link AccountSettingsStore}) */
    private static ScanningConfiguration scanning(String account, String text) {
        if (text == null) {
            return ScanningConfiguration.basic();
        }
        try {
            return MetadataJson.read(text.getBytes(StandardCharsets.UTF_8), ScanningConfiguration.class);
        } catch (RuntimeException e) {
            throw new StorageFailure("the settings of account " + account + " (account_settings: registry policy"
                    + " and scanning configuration) cannot be read; every request that needs them is refused until"
                    + " they are repaired", e.getCause() != null ? e.getCause() : e);
        }
    }
}
