package io.lading.storage.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.account.AccountSettings;
import io.lading.core.account.LegacySettingsImport;
import io.lading.core.repository.MetadataJson;
import io.lading.core.spi.MetadataStore;
import io.lading.storage.local.LocalDiskMetadataStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LegacySettingsImport} from a file-layout root into SQLite: idempotent, SQL rows win, fail closed. */
class LegacySettingsImportTest {

    @TempDir
    Path root;

    private static final byte[] RING = "{\"algorithm\":\"HmacSHA256\",\"key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void importsOnceKeepsRowsAlreadyInSqlAndRerunsAfterACrash() {
        MetadataStore docs = new LocalDiskMetadataStore(root);
        AccountSettings a = AccountSettings.defaults().withRegistryPolicy("{\"a\":1}");
        docs.put("accounts/111111111111/settings", MetadataJson.write(a));
        docs.put("accounts/222222222222/settings", MetadataJson.write(AccountSettings.defaults().withRegistryPolicy("{\"old\":1}")));
        docs.put("auth/token-signing-key", RING);
        try (SqlDatabase db = SqlDatabase.sqlite(root.resolve("metadata.db"), 2)) {
            SqlAccountSettings settings = new SqlAccountSettings(db);
            SqlSecrets secrets = new SqlSecrets(db);
            AccountSettings newer = AccountSettings.defaults().withRegistryPolicy("{\"new\":1}");
            settings.createIfAbsent("222222222222", newer); // written by this version, or by a run cut short

            LegacySettingsImport run = new LegacySettingsImport(docs, settings, secrets, Clock.systemUTC());
            assertEquals(Optional.of(new LegacySettingsImport.Counts(1, 1)), run.runIfNeeded());
            assertEquals(a, settings.get("111111111111").orElseThrow().settings());
            assertEquals(newer, settings.get("222222222222").orElseThrow().settings(), "the SQL row wins");
            assertArrayEquals(RING, secrets.get("token-signing-key").orElseThrow().value(), "bytes unchanged");
            assertTrue(docs.get("accounts/111111111111/settings").isPresent(), "the old documents stay");

            // a crash before the marker: the next run imports nothing twice
            docs.delete(LegacySettingsImport.MARKER);
            assertEquals(Optional.of(new LegacySettingsImport.Counts(0, 0)), run.runIfNeeded());
            // done: the documents are not read again
            docs.put("accounts/333333333333/settings", MetadataJson.write(a));
            assertEquals(Optional.empty(), run.runIfNeeded());
            assertTrue(settings.get("333333333333").isEmpty());
        }
    }

    @Test
    void anUnreadableSettingsDocumentStopsTheImportWithoutTheMarker() {
        MetadataStore docs = new LocalDiskMetadataStore(root);
        docs.put("accounts/111111111111/settings", "{\"registryPolicy\": \"{".getBytes(StandardCharsets.UTF_8));
        try (SqlDatabase db = SqlDatabase.sqlite(root.resolve("metadata.db"), 2)) {
            LegacySettingsImport run = new LegacySettingsImport(docs, new SqlAccountSettings(db), new SqlSecrets(db),
                    Clock.systemUTC());
            IllegalStateException e = assertThrows(IllegalStateException.class, run::runIfNeeded);
            assertTrue(e.getMessage().contains("accounts/111111111111/settings"), e.getMessage());
            assertTrue(docs.get(LegacySettingsImport.MARKER).isEmpty());
        }
    }
}
