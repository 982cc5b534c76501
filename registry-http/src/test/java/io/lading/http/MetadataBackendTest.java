package io.lading.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lading.core.repository.RepositoryRecord;
import io.lading.core.spi.MetadataCatalog.StoredRepository;
import io.lading.http.config.LadingConfig;
import io.lading.storage.sql.PostgresTestCluster;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metadata database as {@code storage.*} configures it: SQLite alone, PostgreSQL with the change feed. */
class MetadataBackendTest {

    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path root;

    @Test
    void sqliteHasNoChangeFeed() {
        try (MetadataBackend b = MetadataBackend.open(new LadingConfig.Storage(root), root, "123456789012", d -> true)) {
            assertTrue(b.metrics().containsKey("metadataCache.hits"));
            assertFalse(b.metrics().keySet().stream().anyMatch(k -> k.startsWith("metadataFeed.")), b.metrics().toString());
        }
    }

    @Test
    void twoNodesOnPostgresqlSeeEachOthersWritesWithinOneSecond() throws Exception {
        assumeTrue("true".equals(System.getenv("CI")) || PostgresTestCluster.available(), "PostgreSQL is not installed");
        PostgresTestCluster pg = PostgresTestCluster.get();
        LadingConfig.Storage config = new LadingConfig.Storage(root, pg.newDatabase(), pg.user(), "", 4, 1 << 20, "local", null);
        try (MetadataBackend a = MetadataBackend.open(config, root.resolve("a"), "123456789012", d -> true);
                MetadataBackend b = MetadataBackend.open(config, root.resolve("b"), "123456789012", d -> true)) {
            awaitConnected(b);
            assertEquals(Optional.empty(), b.catalog().repository("team/app"));
            assertEquals(Optional.empty(), b.catalog().repository("team/app"));
            assertEquals(1L, b.metrics().get("metadataCache.repository.hits"), "the absence is cached");
            StoredRepository created = a.catalog().createRepository("team/app", RepositoryRecord.defaults(T)).orElseThrow();
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (b.catalog().repository("team/app").isEmpty()) {
                if (System.nanoTime() > deadline) {
                    fail("node b still misses the repository after 1 s: " + b.metrics());
                }
                Thread.sleep(2);
            }
            assertEquals(Optional.of(created), b.catalog().repository("team/app"));
            assertTrue(b.metrics().get("metadataFeed.received") >= 1);
            assertTrue(a.metrics().get("metadataFeed.sent") >= 1);
        }
    }

    private static void awaitConnected(MetadataBackend b) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (b.metrics().get("metadataFeed.connected") != 1L) {
            if (System.nanoTime() > deadline) {
                fail("the change feed did not connect: " + b.metrics());
            }
            Thread.sleep(5);
        }
    }
}
