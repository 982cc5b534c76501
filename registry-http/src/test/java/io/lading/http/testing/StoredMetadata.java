package io.lading.http.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads and damages rows of a test server's metadata database (the engine {@link TestMetadata} names) directly. */
public final class StoredMetadata {

    private StoredMetadata() {
    }

    /** The password signing key ring's stored JSON. */
    public static String signingKeyRing(Path dataDir) throws SQLException {
        try (Connection c = open(dataDir);
                PreparedStatement s = c.prepareStatement("SELECT value FROM secrets WHERE name = 'token-signing-key'")) {
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new AssertionError("no signing key ring in the metadata database of " + dataDir);
                }
                return new String(r.getBytes(1), StandardCharsets.UTF_8);
            }
        }
    }

    /** The accounts that have a row of settings. */
    public static java.util.List<String> accounts(Path dataDir) throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = open(dataDir); PreparedStatement s = c.prepareStatement("SELECT account FROM account_settings");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    /** Runs one statement with {@code parameter} as its one {@code ?}; returns the rows it changed. */
    public static int update(Path dataDir, String sql, String parameter) throws SQLException {
        try (Connection c = open(dataDir); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            return s.executeUpdate();
        }
    }

    private static Connection open(Path dataDir) throws SQLException {
        Connection c;
        try {
            c = TestMetadata.connect(dataDir);
        } catch (SQLException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("cannot reach the metadata database of " + dataDir, e);
        }
        if (!TestMetadata.postgresql()) {
            try (var s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
            }
        }
        return c;
    }
}
