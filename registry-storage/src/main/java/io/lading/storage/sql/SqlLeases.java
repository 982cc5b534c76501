package io.lading.storage.sql;

import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.spi.LeaderLeases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Leader leases in the {@code leases} table, with fencing: one node at a time holds a named lease (GC,
 * the expirer), and every change of holder increases the lease's token. A holder does its work through
 * {@link #fenced}, which runs it in one transaction that first re-proves the lease (same holder, same
 * token, not expired) and renews it; the row lock that proof takes keeps every other node from taking
 * the lease until the transaction ends. So a leader that was paused past its expiry and lost the lease
 * can never act on it: its token is stale and its work is not run.
 *
 * <p>Expiry is judged with this node's clock; clocks that disagree (beyond NTP's) can only make a lease
 * change hands early, which fencing makes safe. Thread-safe.
 */
public final class SqlLeases implements LeaderLeases {

    /** Work done in a fenced transaction; it must not commit or roll back the connection itself. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final SqlDatabase db;
    private final Clock clock;

    public SqlLeases(SqlDatabase db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Takes the lease {@code name} for {@code holder} if it is free or expired, or renews it if
     * {@code holder} holds it.
     *
     * @return the fence to do work with, or empty if another holder has an unexpired lease
     */
    @Override
    public Optional<Lease> acquire(String name, String holder, Duration ttl) {
        try {
            return take(name, holder, ttl);
        } catch (SQLException e) {
            throw new StorageFailure("cannot take the lease '" + name + "': " + e.getMessage(), e);
        }
    }

    private Optional<Lease> take(String name, String holder, Duration ttl) throws SQLException {
        long now = clock.millis();
        long until = now + ttl.toMillis();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                int taken;
                try (PreparedStatement s = c.prepareStatement("UPDATE leases SET token = CASE WHEN holder = ? THEN"
                        + " token ELSE token + 1 END, holder = ?, expires_at = ? WHERE name = ? AND (holder = ?"
                        + " OR expires_at <= ?)")) {
                    s.setString(1, holder);
                    s.setString(2, holder);
                    s.setLong(3, until);
                    s.setString(4, name);
                    s.setString(5, holder);
                    s.setLong(6, now);
                    taken = s.executeUpdate();
                }
                if (taken == 0) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO leases (name, holder, token,"
                            + " expires_at) VALUES (?, ?, 1, ?) ON CONFLICT (name) DO NOTHING")) {
                        s.setString(1, name);
                        s.setString(2, holder);
                        s.setLong(3, until);
                        taken = s.executeUpdate();
                    }
                }
                Optional<Lease> fence = Optional.empty();
                if (taken == 1) {
                    try (PreparedStatement s = c.prepareStatement(
                            "SELECT token FROM leases WHERE name = ? AND holder = ?")) {
                        s.setString(1, name);
                        s.setString(2, holder);
                        try (ResultSet r = s.executeQuery()) {
                            r.next();
                            fence = Optional.of(new Lease(name, holder, r.getLong(1)));
                        }
                    }
                }
                c.commit();
                return fence;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Runs {@code work} in one transaction that first proves {@code fence} still holds and renews it by
     * {@code ttl}; commits if the work returns, rolls back if it throws.
     *
     * @throws LeaseLost if the lease expired or changed hands; nothing was run
     */
    public <T> T fenced(Lease fence, Duration ttl, Work<T> work) throws SQLException, LeaseLost {
        long now = clock.millis();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                int held;
                try (PreparedStatement s = c.prepareStatement("UPDATE leases SET expires_at = ? WHERE name = ?"
                        + " AND holder = ? AND token = ? AND expires_at > ?")) {
                    s.setLong(1, now + ttl.toMillis());
                    s.setString(2, fence.name());
                    s.setString(3, fence.holder());
                    s.setLong(4, fence.token());
                    s.setLong(5, now);
                    held = s.executeUpdate();
                }
                if (held != 1) {
                    c.rollback();
                    throw new LeaseLost(fence);
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Proves, inside the caller's transaction on {@code c}, that {@code lease} still holds, and locks the
     * lease's row until that transaction ends, so no other node can take the lease while the caller's work
     * runs (on SQLite the transaction's write lock already excludes every other writer).
     *
     * @throws LeaseLost if the lease expired or changed hands
     */
    void prove(Connection c, Lease lease) throws SQLException, LeaseLost {
        try (PreparedStatement s = c.prepareStatement("UPDATE leases SET token = token WHERE name = ? AND holder = ?"
                + " AND token = ? AND expires_at > ?")) {
            s.setString(1, lease.name());
            s.setString(2, lease.holder());
            s.setLong(3, lease.token());
            s.setLong(4, clock.millis());
            if (s.executeUpdate() != 1) {
                throw new LeaseLost(lease);
            }
        }
    }

    /** Gives the lease up if {@code fence} still holds it (another holder may take it at once). */
    @Override
    public void release(Lease fence) {
        try (Connection c = db.connection();
                PreparedStatement s = c.prepareStatement("UPDATE leases SET expires_at = 0 WHERE name = ? AND"
                        + " holder = ? AND token = ?")) {
            s.setString(1, fence.name());
            s.setString(2, fence.holder());
            s.setLong(3, fence.token());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StorageFailure("cannot release the lease '" + fence.name() + "': " + e.getMessage(), e);
        }
    }
}
