package io.lading.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.Registry;
import io.lading.core.RegistrySettings;
import io.lading.core.error.RegistryException.LimitExceeded;
import io.lading.core.error.RegistryException.UploadUnknown;
import io.lading.core.repository.RepositoryName;
import io.lading.core.spi.UploadState;
import io.lading.core.upload.UploadService;
import io.lading.storage.sql.SqlDatabase;
import io.lading.storage.sql.SqlAccountSettings;
import io.lading.storage.sql.SqlBlobMarks;
import io.lading.storage.sql.SqlLeases;
import io.lading.storage.sql.SqlMetadataCatalog;
import io.lading.storage.sql.SqlSecrets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload session limits over the real local-disk stores: expiry frees slots, the count is rebuilt from
 * the sessions on disk when the services are built again (a restart), and a session that vanished from the
 * store frees its slot when next asked for.
 */
class UploadSessionLimitsOnDiskTest {

    private static final String ALICE = "arn:aws:iam::111111111111:user/alice";
    private static final String BOB = "arn:aws:iam::111111111111:user/bob";
    private static final RepositoryName REPO = RepositoryName.of("limits/disk");

    @TempDir
    Path root;

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final java.util.List<SqlDatabase> databases = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeDatabases() {
        databases.forEach(SqlDatabase::close);
    }

    private UploadService open() {
        RegistrySettings settings = RegistrySettings.defaults().withUploadSessionLimits(2, 3);
        SqlDatabase db = SqlDatabase.sqlite(root.resolve("metadata.db"), 2);
        databases.add(db);
        return Registry.open(new SqlMetadataCatalog(db, "123456789012"), new SqlBlobMarks(db, new SqlLeases(db, clock)),
                new SqlAccountSettings(db), new SqlSecrets(db),
                new LocalDiskMetadataStore(root),
                new LocalDiskBlobStore(root),
                new LocalDiskUploadStore(root), settings, clock).uploads();
    }

    /** Opens two sessions of {@code owner}, its whole share; returns the first. */
    private static UploadState fillShare(UploadService uploads, String owner) {
        UploadState first = uploads.start(REPO, owner);
        uploads.start(REPO, owner);
        return first;
    }

    @Test
    void expiredSessionsFreeTheirSlots() {
        UploadService uploads = open();
        fillShare(uploads, ALICE);
        assertThrows(LimitExceeded.class, () -> uploads.start(REPO, ALICE));
        clock.now = clock.now.plus(Duration.ofHours(12));
        uploads.start(REPO, BOB);
        assertThrows(LimitExceeded.class, () -> uploads.start(REPO, BOB));
        clock.now = clock.now.plus(Duration.ofHours(13)); // alice's are 25 h old, bob's 13 h
        assertEquals(2, uploads.expire(true));
        assertEquals(3, uploads.openSessions(), "a dry run frees nothing");
        assertEquals(2, uploads.expire());
        assertEquals(1, uploads.openSessions());
        assertEquals(0, uploads.openSessions(ALICE));
        fillShare(uploads, ALICE);
    }

    @Test
    void theCountSurvivesARestart() {
        UploadService before = open();
        UploadState a = fillShare(before, ALICE);
        before.start(REPO, UploadState.NO_OWNER);

        UploadService after = open();
        assertEquals(3, after.openSessions());
        assertEquals(2, after.openSessions(ALICE));
        LimitExceeded e = assertThrows(LimitExceeded.class, () -> after.start(REPO, BOB));
        assertTrue(e.getMessage().contains("registry.uploadSessionsTotal"), e.getMessage());
        after.cancel(REPO, a.id(), ALICE);
        assertEquals(1, after.openSessions(ALICE));
        after.start(REPO, BOB);
    }

    @Test
    void aSessionGoneFromTheStoreFreesItsSlot() {
        UploadService uploads = open();
        UploadState a = fillShare(uploads, ALICE);
        new LocalDiskUploadStore(root).cancel(a.id()); // removed behind the service's back
        assertThrows(UploadUnknown.class, () -> uploads.status(REPO, a.id(), ALICE));
        assertEquals(1, uploads.openSessions(ALICE));
        uploads.start(REPO, ALICE);
    }

    @Test
    void aFailedMonolithicUploadLeavesNoSlotTaken() {
        UploadService uploads = open();
        assertThrows(RuntimeException.class, () -> uploads.upload(REPO,
                io.lading.core.digest.Digest.sha256(new byte[] {1}), new java.io.ByteArrayInputStream(new byte[] {2}),
                null));
        assertEquals(0, uploads.openSessions());
    }
}
