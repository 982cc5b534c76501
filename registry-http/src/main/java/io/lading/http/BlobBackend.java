package io.lading.http;

import io.lading.core.spi.BlobStore;
import io.lading.core.spi.UploadStore;
import io.lading.http.config.LadingConfig;
import io.lading.storage.local.LocalDiskBlobStore;
import io.lading.storage.local.LocalDiskUploadStore;
import java.nio.file.Path;

/**
 * Where this node keeps blob bytes ({@code storage.blobs}) and its upload sessions (always under the
 * storage root): {@code local}, {@code <root>/blobs/}; {@code s3}, the bucket of {@code storage.s3.*}
 * through {@link S3BlobBackend}, the only class that reaches the S3 code, so that with local blobs no class
 * of the AWS SDK is loaded. Closing it closes the S3 connection, if any.
 */
final class BlobBackend implements AutoCloseable {

    private final BlobStore store;
    private final UploadStore uploads;
    private final String where;
    private final AutoCloseable connection;

    BlobBackend(BlobStore store, UploadStore uploads, String where, AutoCloseable connection) {
        this.store = store;
        this.uploads = uploads;
        this.where = where;
        this.connection = connection;
    }

    /** Opens the blob and upload stores {@code config} names, over the storage root {@code root}. */
    static BlobBackend open(LadingConfig.Storage config, Path root) {
        if (config.s3Blobs()) {
            return S3BlobBackend.open(config.s3(), root);
        }
        return new BlobBackend(new LocalDiskBlobStore(root), new LocalDiskUploadStore(root), root.resolve("blobs").toString(),
                null);
    }

    BlobStore store() {
        return store;
    }

    UploadStore uploads() {
        return uploads;
    }

    /** Where the blobs are, for the start-up line: a directory or an {@code s3://} URL. */
    String where() {
        return where;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the blob store's connection", e);
            }
        }
    }
}
