package io.lading.storage.local;

import io.lading.core.spi.BlobStore;
import io.lading.core.spi.BlobStoreContract;
import io.lading.core.spi.UploadStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalDiskBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;

    @Override
    protected UploadStore newUploadStore() {
        return new LocalDiskUploadStore(root);
    }

    @Override
    protected BlobStore blobStore() {
        return new LocalDiskBlobStore(root);
    }
}
