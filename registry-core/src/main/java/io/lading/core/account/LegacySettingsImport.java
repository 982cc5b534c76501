package io.lading.core.account;

import io.lading.core.repository.MetadataJson;
import io.lading.core.spi.AccountSettingsStore;
import io.lading.core.spi.MetadataStore;
import io.lading.core.spi.SecretStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-time import of the account settings and secrets that Lading's file-per-document layout kept
 * as {@link MetadataStore} documents ({@code accounts/<id>/settings}, and every document under
 * {@link MetadataStore#SECRETS}, e.g. {@code auth/token-signing-key}) into the shared
 * {@link AccountSettingsStore} and {@link SecretStore}. A secret keeps its name without the
 * {@code auth/} prefix and its bytes unchanged, so every outstanding password stays valid.
 *
 * <p>Idempotent: each item is written with create-if-absent, so a row already in SQL wins (it was
 * imported by an earlier, interrupted run, or written by this version), and a crash part way is repaired
 * by running again. The document {@link #MARKER} records {@code done} after the last item; after that the
 * documents are never read again. The old documents are kept.
 *
 * <p>Fail closed: a settings document that cannot be read stops the import, and start-up, with
 * {@link IllegalStateException} naming it, rather than leaving the account with default settings (which
 * would drop its registry policy); an operator repairs or removes the document.
 */
public final class LegacySettingsImport {

    private static final Logger log = LoggerFactory.getLogger(LegacySettingsImport.class);

    /** The document that records that the import is done. */
    public static final String MARKER = "migrations/sql-settings-import";

    private static final Pattern SETTINGS = Pattern.compile("accounts/([0-9]{12})/settings");

    private final MetadataStore documents;
    private final AccountSettingsStore settings;
    private final SecretStore secrets;
    private final Clock clock;

    public LegacySettingsImport(MetadataStore documents, AccountSettingsStore settings, SecretStore secrets,
            Clock clock) {
        this.documents = documents;
        this.settings = settings;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** What one run imported (items already in SQL are not counted). */
    public record Counts(int accounts, int secrets) {
    }

    private record Marker(String state, Instant at, Counts counts) {
    }

    /** Imports unless {@link #MARKER} says it is done; returns what was imported, or empty if nothing ran. */
    public Optional<Counts> runIfNeeded() {
        if (documents.get(MARKER).isPresent()) {
            return Optional.empty();
        }
        int accounts = 0;
        for (String key : documents.list("accounts/")) {
            Matcher m = SETTINGS.matcher(key);
            if (m.matches() && importSettings(m.group(1), key)) {
                accounts++;
            }
        }
        int imported = 0;
        for (String key : documents.list(MetadataStore.SECRETS)) {
            String name = key.substring(MetadataStore.SECRETS.length());
            Optional<MetadataStore.Versioned> doc = documents.get(key);
            if (doc.isPresent() && secrets.createIfAbsent(SecretStore.checkName(name), doc.get().value())) {
                log.info("Imported the secret {} of the file layout into SQL as {}", key, name);
                imported++;
            }
        }
        Counts counts = new Counts(accounts, imported);
        documents.put(MARKER, MetadataJson.write(new Marker("done", clock.instant(), counts)));
        if (accounts + imported > 0) {
            log.info("Imported the file layout's account settings ({} accounts) and secrets ({}) into SQL; the"
                    + " documents under accounts/ and {} are no longer read and may be removed", accounts, imported,
                    MetadataStore.SECRETS);
        }
        return Optional.of(counts);
    }

    private boolean importSettings(String account, String key) {
        Optional<MetadataStore.Versioned> doc = documents.get(key);
        if (doc.isEmpty() || settings.get(account).isPresent()) {
            return false; // what SQL holds wins
        }
        AccountSettings parsed;
        try {
            parsed = MetadataJson.read(doc.get().value(), AccountSettings.class);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot import the settings document " + key + " (registry policy and"
                    + " scanning configuration of account " + account + "): it does not parse (" + e.getMessage()
                    + "); repair it, or remove it to start the account with default settings and no registry policy",
                    e);
        }
        if (settings.createIfAbsent(account, parsed)) {
            log.info("Imported the settings of account {} from {} into SQL (registry policy {})", account, key,
                    parsed.registryPolicy() == null ? "none" : "present");
            return true;
        }
        return false;
    }
}
