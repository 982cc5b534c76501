package io.lading.http.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.auth.sigv4.Credential;
import io.lading.auth.token.RegistryTokens;
import io.lading.auth.token.SigningKeyRing;
import io.lading.core.account.AccountSettingsService;
import io.lading.core.identity.Principal;
import io.lading.core.spi.SecretStore;
import io.lading.storage.sql.CachedAccountSettings;
import io.lading.storage.sql.SqlAccountSettings;
import io.lading.storage.sql.SqlDatabase;
import io.lading.storage.sql.SqlEngine;
import io.lading.storage.sql.SqlSecrets;
import io.lading.storage.sql.SqlTestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two nodes sharing one metadata database (two connection pools, two sets of services, real time): a
 * registry policy written on A applies on B within the 1 s bound; a password signed with a key rotated
 * in on A verifies on B; of two rotations racing on A and B exactly one lands.
 */
class TwoNodeSettingsAndKeysTest {

    private static final String ACCOUNT = "123456789012";
    private static final Principal ALICE = Principal.user(ACCOUNT, "alice", "AKIAALICE0000000");
    private static final Credential CREDENTIAL = new Credential(ALICE.accessKeyId(), "secret-secret-secret", ALICE);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void aRegistryPolicySetOnOneNodeAppliesOnTheOtherWithinASecond(SqlEngine engine) throws Exception {
        try (SqlDatabase a = SqlTestDatabases.open(engine, dir); SqlDatabase b = SqlTestDatabases.another(engine, dir, a)) {
            AccountSettingsService nodeA = new AccountSettingsService(new CachedAccountSettings(new SqlAccountSettings(a)));
            AccountSettingsService nodeB = new AccountSettingsService(new CachedAccountSettings(new SqlAccountSettings(b)));
            assertEquals(null, nodeB.get(ACCOUNT).registryPolicy()); // B caches "no policy"
            String deny = "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}]}";
            nodeA.update(ACCOUNT, s -> s.withRegistryPolicy(deny));
            long written = System.nanoTime();
            while (nodeB.get(ACCOUNT).registryPolicy() == null) {
                assertTrue(System.nanoTime() - written < TimeUnit.MILLISECONDS.toNanos(1_100), "not applied on B within 1 s");
                Thread.sleep(10);
            }
            assertEquals(deny, nodeB.get(ACCOUNT).registryPolicy());
        }
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void aPasswordSignedWithTheKeyRotatedInOnOneNodeVerifiesOnTheOther(SqlEngine engine) throws Exception {
        try (SqlDatabase a = SqlTestDatabases.open(engine, dir); SqlDatabase b = SqlTestDatabases.another(engine, dir, a)) {
            SigningKeyRing ringA = new SigningKeyRing(new SqlSecrets(a), Clock.systemUTC());
            SigningKeyRing ringB = new SigningKeyRing(new SqlSecrets(b), Clock.systemUTC());
            assertEquals(ringA.currentKeyId(), ringB.currentKeyId());
            String before = tokens(ringA).issue(ALICE).password();
            ringA.rotate();
            assertEquals(ALICE, tokens(ringB).verify(tokens(ringA).issue(ALICE).password()));
            assertEquals(ALICE, tokens(ringB).verify(before));
            assertEquals(ringA.currentKeyId(), ringB.currentKeyId(), "B signs with A's new key from then on");
        }
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void ofTwoRotationsRacingOnTwoNodesExactlyOneLands(SqlEngine engine) throws Exception {
        try (SqlDatabase a = SqlTestDatabases.open(engine, dir); SqlDatabase b = SqlTestDatabases.another(engine, dir, a)) {
            new SigningKeyRing(new SqlSecrets(a), Clock.systemUTC()).currentKey(); // the ring exists
            CyclicBarrier bothRead = new CyclicBarrier(2);
            List<SigningKeyRing> nodes = List.of(new SigningKeyRing(racing(new SqlSecrets(a), bothRead), Clock.systemUTC()),
                    new SigningKeyRing(racing(new SqlSecrets(b), bothRead), Clock.systemUTC()));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<SigningKeyRing.Rotation>> rotations = new ArrayList<>();
                for (SigningKeyRing node : nodes) {
                    rotations.add(pool.submit(node::rotate));
                }
                List<String> landed = new ArrayList<>();
                int lost = 0;
                for (Future<SigningKeyRing.Rotation> f : rotations) {
                    try {
                        landed.add(f.get(30, TimeUnit.SECONDS).keyId());
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertTrue(e.getCause() instanceof SigningKeyRing.ConcurrentRotation, e.getCause().toString());
                        lost++;
                    }
                }
                assertEquals(1, landed.size());
                assertEquals(1, lost);
                SigningKeyRing fresh = new SigningKeyRing(new SqlSecrets(b), Clock.systemUTC());
                assertEquals(landed.get(0), fresh.currentKeyId());
                assertEquals(landed.get(0), nodes.get(0).currentKeyId(), "the loser serves the winner's ring");
                assertEquals(landed.get(0), nodes.get(1).currentKeyId());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Both nodes read the ring before either writes it. */
    private static SecretStore racing(SecretStore store, CyclicBarrier bothRead) {
        return new SecretStore() {
            @Override
            public Optional<Versioned> get(String name) {
                return store.get(name);
            }

            @Override
            public boolean createIfAbsent(String name, byte[] value) {
                return store.createIfAbsent(name, value);
            }

            @Override
            public boolean replace(String name, long expectedVersion, byte[] value) {
                try {
                    bothRead.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return store.replace(name, expectedVersion, value);
            }
        };
    }

    private static RegistryTokens tokens(SigningKeyRing keys) {
        return new RegistryTokens(keys, id -> Optional.of(CREDENTIAL), Clock.systemUTC(), RegistryTokens.DEFAULT_LIFETIME);
    }
}
