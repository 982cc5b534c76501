package io.lading.storage.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.spi.LeaderLeases.Lease;
import io.lading.core.spi.LeaderLeases.LeaseLost;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Leases with fencing on both engines, with a hand-driven clock: one holder at a time, a paused leader
 * whose lease was taken can no longer act (its work is not run), and fenced work is all or nothing.
 */
class SqlLeasesTest {

    private static final Duration TTL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final AtomicLong millis = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    };

    private static long counter(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM account_settings")) {
            r.next();
            return r.getLong(1);
        }
    }

    @FunctionalInterface
    private interface LeaseTest {
        void run(SqlDatabase db, SqlLeases leases) throws Exception;
    }

    private void withLeases(SqlEngine engine, LeaseTest test) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            test.run(db, new SqlLeases(db, clock));
        }
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void aPausedLeaderWhoseLeaseWasTakenCanNoLongerAct(SqlEngine engine) throws Exception {
        withLeases(engine, (db, leases) -> {
            Lease a = leases.acquire("gc", "node-a", TTL).orElseThrow();
            assertTrue(leases.acquire("gc", "node-b", TTL).isEmpty(), "b took a lease a holds");
            assertEquals(a, leases.acquire("gc", "node-a", TTL).orElseThrow(), "renewal keeps the token");

            millis.addAndGet(TTL.toMillis() + 1); // a pauses past its expiry
            Lease b = leases.acquire("gc", "node-b", TTL).orElseThrow();
            assertTrue(b.token() > a.token(), a + " then " + b);

            AtomicBoolean ran = new AtomicBoolean();
            assertThrows(LeaseLost.class, () -> leases.fenced(a, TTL, c -> {
                ran.set(true);
                return null;
            }));
            assertTrue(!ran.get(), "the stale leader's work ran");
            assertTrue(leases.acquire("gc", "node-a", TTL).isEmpty(), "a took back b's unexpired lease");
            assertEquals("done", leases.fenced(b, TTL, c -> "done"));
        });
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void fencedWorkIsAllOrNothing(SqlEngine engine) throws Exception {
        withLeases(engine, (db, leases) -> {
            Lease a = leases.acquire("expirer", "node-a", TTL).orElseThrow();
            assertThrows(IllegalStateException.class, () -> leases.fenced(a, TTL, c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO account_settings (account) VALUES ('111111111111')");
                }
                throw new IllegalStateException("half way");
            }));
            leases.fenced(a, TTL, c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO account_settings (account) VALUES ('222222222222')");
                }
                return null;
            });
            try (Connection c = db.connection()) {
                assertEquals(1, counter(c), "the failed work's row was kept");
            }
            leases.release(a);
            assertTrue(leases.acquire("expirer", "node-b", TTL).isPresent(), "a released lease stays held");
            assertThrows(LeaseLost.class, () -> leases.fenced(a, TTL, c -> null));
        });
    }
}
