package io.lading.storage.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.lading.core.account.AccountSettings;
import io.lading.core.account.AccountSettings.ScanningConfiguration;
import io.lading.core.account.AccountSettings.ScanningRule;
import io.lading.core.account.AccountSettingsService;
import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.spi.AccountSettingsStore;
import io.lading.core.spi.SecretStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link SqlAccountSettings}, {@link CachedAccountSettings} and {@link SqlSecrets} on SQLite and PostgreSQL. */
class SqlSettingsAndSecretsTest {

    private static final String ACCOUNT = "123456789012";
    private static final AccountSettings POLICY = AccountSettings.defaults().withRegistryPolicy("{\"Statement\":[]}")
            .withScanning(new ScanningConfiguration("ENHANCED", List.of(new ScanningRule("SCAN_ON_PUSH", List.of("a/*")))));

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void accountSettingsCreateOnceAndCompareAndSwapOnTheirVersion(SqlEngine engine) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            AccountSettingsStore store = new SqlAccountSettings(db);
            assertTrue(store.get(ACCOUNT).isEmpty());
            assertTrue(store.createIfAbsent(ACCOUNT, POLICY));
            assertFalse(store.createIfAbsent(ACCOUNT, AccountSettings.defaults()), "a second create changes nothing");
            assertEquals(new AccountSettingsStore.Versioned(POLICY, 1), store.get(ACCOUNT).orElseThrow());
            assertFalse(store.replace(ACCOUNT, 2, AccountSettings.defaults()), "wrong version");
            assertTrue(store.replace(ACCOUNT, 1, POLICY.withRegistryPolicy(null)));
            assertFalse(store.replace(ACCOUNT, 1, POLICY), "a stale version loses");
            assertEquals(new AccountSettingsStore.Versioned(POLICY.withRegistryPolicy(null), 2), store.get(ACCOUNT).orElseThrow());
            assertFalse(store.replace("210987654321", 1, POLICY), "no row to replace");
        }
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void unreadableStoredSettingsFailClosedAndARepairInPlaceApplies(SqlEngine engine) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            AccountSettingsService service = new AccountSettingsService(new CachedAccountSettings(new SqlAccountSettings(db)));
            service.update(ACCOUNT, s -> POLICY);
            execute(db, "UPDATE account_settings SET scanning_configuration = '{\"scanType\": [' WHERE account = ?");
            AccountSettingsService fresh = new AccountSettingsService(new CachedAccountSettings(new SqlAccountSettings(db)));
            StorageFailure e = assertThrows(StorageFailure.class, () -> fresh.get(ACCOUNT));
            assertTrue(e.getMessage().contains(ACCOUNT), e.getMessage());
            assertThrows(StorageFailure.class, () -> fresh.update(ACCOUNT, s -> AccountSettings.defaults()),
                    "never overwritten with defaults");
            execute(db, "UPDATE account_settings SET scanning_configuration = NULL WHERE account = ?");
            assertEquals(POLICY.registryPolicy(), fresh.get(ACCOUNT).registryPolicy(), "nothing unreadable was cached");
        }
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void secretsCreateOnceAndCompareAndSwapOnTheirVersion(SqlEngine engine) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            SecretStore secrets = new SqlSecrets(db);
            byte[] a = {0, 1, 2, (byte) 0xff};
            assertTrue(secrets.get("token-signing-key").isEmpty());
            assertTrue(secrets.createIfAbsent("token-signing-key", a));
            assertFalse(secrets.createIfAbsent("token-signing-key", new byte[] {9}));
            SecretStore.Versioned v = secrets.get("token-signing-key").orElseThrow();
            assertArrayEquals(a, v.value());
            assertEquals(1, v.version());
            assertTrue(secrets.replace("token-signing-key", 1, new byte[] {7}));
            assertFalse(secrets.replace("token-signing-key", 1, new byte[] {8}), "a stale version loses");
            assertArrayEquals(new byte[] {7}, secrets.get("token-signing-key").orElseThrow().value());
            assertThrows(IllegalArgumentException.class, () -> secrets.get("../etc"));
        }
    }

    /** Two nodes: two pools on one database, each with its own cache. */
    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void aPolicyWrittenOnOneNodeAppliesOnAnotherWithinTheCacheBound(SqlEngine engine) throws Exception {
        try (SqlDatabase a = SqlTestDatabases.open(engine, dir); SqlDatabase b = SqlTestDatabases.another(engine, dir, a)) {
            AtomicLong nanos = new AtomicLong();
            Ticker ticker = nanos::get;
            AccountSettingsService nodeA = new AccountSettingsService(
                    new CachedAccountSettings(new SqlAccountSettings(a), Duration.ofSeconds(1), ticker));
            AccountSettingsService nodeB = new AccountSettingsService(
                    new CachedAccountSettings(new SqlAccountSettings(b), Duration.ofSeconds(1), ticker));
            assertEquals(AccountSettings.defaults(), nodeB.get(ACCOUNT));
            nodeA.update(ACCOUNT, s -> POLICY);
            assertEquals(POLICY, nodeA.get(ACCOUNT), "a node reads its own write at once");
            nanos.addAndGet(Duration.ofMillis(999).toNanos());
            assertEquals(AccountSettings.defaults(), nodeB.get(ACCOUNT), "still cached on B");
            nanos.addAndGet(Duration.ofMillis(1).toNanos());
            assertEquals(POLICY, nodeB.get(ACCOUNT), "applies on B once its entry is a second old");
            // B's update starts from its cached (possibly stale) copy: the failed swap re-reads and retries
            nodeA.update(ACCOUNT, s -> s.withRegistryPolicy("{\"a\":1}"));
            AccountSettings merged = nodeB.update(ACCOUNT, s -> s.withScanning(ScanningConfiguration.basic()));
            assertEquals("{\"a\":1}", merged.registryPolicy(), "A's write is not lost");
        }
    }

    @Test
    void theCacheAbsorbsReadsWithinItsBound() {
        AtomicInteger reads = new AtomicInteger();
        AtomicLong nanos = new AtomicLong();
        AccountSettingsStore counting = new AccountSettingsStore() {
            @Override
            public java.util.Optional<Versioned> get(String account) {
                reads.incrementAndGet();
                return java.util.Optional.of(new Versioned(POLICY, 1));
            }

            @Override
            public boolean createIfAbsent(String account, AccountSettings settings) {
                return false;
            }

            @Override
            public boolean replace(String account, long expectedVersion, AccountSettings settings) {
                return false;
            }
        };
        CachedAccountSettings cached = new CachedAccountSettings(counting, Duration.ofSeconds(1), nanos::get);
        for (int i = 0; i < 10_000; i++) {
            cached.get(ACCOUNT);
            nanos.addAndGet(Duration.ofMillis(1).toNanos()); // 10,000 reads over 10 s
        }
        assertEquals(10, reads.get(), "one store read per account per second");
        assertFalse(cached.replace(ACCOUNT, 1, POLICY));
        cached.get(ACCOUNT);
        assertEquals(11, reads.get(), "a failed swap drops the entry");
    }

    @Test
    void theSqliteFileAndItsWalAreOwnerOnly() throws Exception {
        Path file = dir.resolve("metadata.db");
        try (SqlDatabase db = SqlDatabase.sqlite(file, 2)) {
            new SqlSecrets(db).createIfAbsent("token-signing-key", "secret".getBytes(StandardCharsets.UTF_8));
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path p = dir.resolve("metadata.db" + suffix);
                assertTrue(Files.exists(p), p.toString());
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            }
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (SqlDatabase db = SqlDatabase.sqlite(file, 2)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                    "a file an older version created readable by others is restricted");
        }
    }

    private static void execute(SqlDatabase db, String sql) throws Exception {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, ACCOUNT);
            s.executeUpdate();
        }
    }
}
