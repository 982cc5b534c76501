package io.lading.http.testing;

import io.lading.core.account.LegacySettingsImport;
import io.lading.core.digest.Digest;
import io.lading.core.repository.LegacyMetadataImport;
import io.lading.core.repository.MetadataJson;
import io.lading.core.repository.MetadataKeys;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.spi.MetadataStore;
import io.lading.core.tag.Tag;
import io.lading.storage.local.LocalDiskMetadataStore;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes what a server's SQL metadata holds as the file-per-document layout older versions of Lading
 * wrote (one document per repository, image, tag and blob link, per account's settings, and the signing
 * key ring as the owner-only secret {@code auth/token-signing-key}), then empties the SQL database (the
 * SQLite file or the PostgreSQL database, {@link TestMetadata#clear}): the next start finds an old root
 * and imports it.
 */
public final class LegacyLayout {

    private LegacyLayout() {
    }

    /** Exports {@code server}'s repositories to the old layout and stops it with no SQL database left. */
    public static void downgrade(LadingServer server) throws Exception {
        RepositoryIndex index = server.lading().registry().index();
        MetadataStore docs = new LocalDiskMetadataStore(server.dataDir());
        index.forEach(repo -> {
            docs.put(MetadataKeys.repository(repo.name()), MetadataJson.write(repo.record()));
            Set<Digest> blobs = new LinkedHashSet<>();
            repo.forEachImage(image -> {
                docs.put(MetadataKeys.manifest(repo.name(), image.digest()), MetadataJson.write(image));
                blobs.add(image.contentBlob());
                blobs.addAll(image.blobs());
            });
            repo.forEachTag(t -> docs.put(MetadataKeys.tag(repo.name(), Tag.of(t.tag())),
                    MetadataJson.write(Map.of("tag", t.tag(), "digest", t.digest().toString()))));
            for (Digest d : blobs) {
                index.catalog().link(repo.id(), d).ifPresent(link -> docs.put(MetadataKeys.layer(repo.name(), d),
                        MetadataJson.write(Map.of("size", link.size(), "linkedAt", link.linkedAt()))));
            }
        });
        for (String account : StoredMetadata.accounts(server.dataDir())) {
            docs.put("accounts/" + account + "/settings",
                    MetadataJson.write(server.lading().registry().accounts().get(account)));
        }
        docs.put("auth/token-signing-key", StoredMetadata.signingKeyRing(server.dataDir()).getBytes(StandardCharsets.UTF_8));
        docs.delete(LegacyMetadataImport.MARKER); // an old root has never been imported
        docs.delete(LegacySettingsImport.MARKER);
        server.stop();
        TestMetadata.clear(server.dataDir());
    }
}
