package io.lading.core;

import io.lading.core.account.AccountSettingsService;
import io.lading.core.account.LegacySettingsImport;
import io.lading.core.spi.BlobMarkStore;
import io.lading.core.blob.BlobService;
import io.lading.core.catalog.CatalogService;
import io.lading.core.manifest.ManifestService;
import io.lading.core.referrer.ReferrersService;
import io.lading.core.repository.LegacyMetadataImport;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.repository.RepositoryService;
import io.lading.core.spi.BlobStore;
import io.lading.core.spi.AccountSettingsStore;
import io.lading.core.spi.MetadataCatalog;
import io.lading.core.spi.MetadataStore;
import io.lading.core.spi.SecretStore;
import io.lading.core.spi.UploadStore;
import io.lading.core.tag.TagService;
import io.lading.core.upload.UploadService;
import java.time.Clock;

/**
 * The core services wired over one set of stores. Built once at start-up; every service is
 * thread-safe and shared by all requests of both APIs.
 */
public record Registry(
        RepositoryIndex index,
        BlobMarkStore marks,
        BlobService blobs,
        UploadService uploads,
        ManifestService manifests,
        TagService tags,
        CatalogService catalog,
        ReferrersService referrers,
        RepositoryService repositories,
        AccountSettingsService accounts,
        RegistrySettings settings) {

    /**
     * Builds the services over {@code catalog} (repository metadata), {@code marks} (garbage collection's),
     * {@code accountSettings} and {@code secrets}, first importing what an older version wrote as
     * documents in {@code metadata}: repository metadata ({@link LegacyMetadataImport}), account settings
     * and secrets ({@link LegacySettingsImport}, into {@code accountSettings} and {@code secrets}).
     */
    public static Registry open(MetadataCatalog catalog, BlobMarkStore marks, AccountSettingsStore accountSettings,
            SecretStore secrets, MetadataStore metadata, BlobStore blobStore, UploadStore uploadStore,
            RegistrySettings settings, Clock clock) {
        new LegacyMetadataImport(metadata, catalog, clock).runIfNeeded();
        new LegacySettingsImport(metadata, accountSettings, secrets, clock).runIfNeeded();
        RepositoryIndex index = new RepositoryIndex(catalog, metadata, clock);
        UploadService uploads = new UploadService(index, uploadStore, blobStore, marks, settings, clock);
        return new Registry(index, marks,
                new BlobService(index, blobStore),
                uploads,
                new ManifestService(index, blobStore, uploads, marks, settings),
                new TagService(index, settings),
                new CatalogService(index, settings),
                new ReferrersService(index),
                new RepositoryService(index, uploads),
                new AccountSettingsService(accountSettings),
                settings);
    }
}
