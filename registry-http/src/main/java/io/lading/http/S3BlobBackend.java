package io.lading.http;

import io.lading.http.config.LadingConfig;
import io.lading.http.config.S3Binding;
import io.lading.storage.local.LocalDiskUploadStore;
import io.lading.storage.s3.S3BlobStore;
import io.lading.storage.s3.S3Connection;
import io.lading.storage.s3.S3Settings;
import java.nio.file.Path;

/**
 * Blobs in S3 ({@code storage.blobs: s3}): the S3 blob store on one connection, and upload sessions under
 * the storage root whose commits write to it. Only {@link BlobBackend#open} names this class, and only
 * when S3 is configured: loading it is what loads the AWS SDK. Stateless.
 */
final class S3BlobBackend {

    private S3BlobBackend() {
    }

    static BlobBackend open(LadingConfig.S3 config, Path root) {
        S3Settings settings = S3Binding.settings(config);
        S3Connection connection = S3Connection.open(settings);
        try {
            S3BlobStore store = new S3BlobStore(connection);
            return new BlobBackend(store, new LocalDiskUploadStore(root, store),
                    "s3://" + settings.bucket() + "/" + settings.prefix() + "blobs/", connection);
        } catch (RuntimeException | Error e) {
            connection.close();
            throw e;
        }
    }
}
