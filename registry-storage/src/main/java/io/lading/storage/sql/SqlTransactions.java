package io.lading.storage.sql;

import io.lading.core.error.RegistryException.StorageFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Runs one unit of work on a pooled connection: a read in auto-commit, or a write in one transaction
 * that commits or rolls back whole. A write that loses a race the database detects (PostgreSQL's
 * serialization failures and deadlocks, a unique key another transaction took first) is run again, up
 * to a few times; any other SQL failure is a {@link StorageFailure}.
 */
final class SqlTransactions {

    private static final int ATTEMPTS = 5;

    private final SqlDatabase db;

    SqlTransactions(SqlDatabase db) {
        this.db = db;
    }

    /** Work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    <T> T read(Work<T> work) {
        try (Connection c = db.connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageFailure("metadata read failed: " + e.getMessage(), e);
        }
    }

    <T> T write(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && retryable(e)) {
                    continue;
                }
                throw new StorageFailure("metadata write failed: " + e.getMessage(), e);
            }
        }
    }

    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state) || "23505".equals(state);
    }

    /** Times are stored as microseconds since the epoch. */
    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
