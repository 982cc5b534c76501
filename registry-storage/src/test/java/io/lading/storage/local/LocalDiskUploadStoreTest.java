package io.lading.storage.local;

import io.lading.core.spi.BlobStore;
import io.lading.core.spi.UploadStore;
import io.lading.core.spi.UploadStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalDiskUploadStoreTest extends UploadStoreContract {

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

    @Override
    protected UploadStore reopenUploadStore() {
        return new LocalDiskUploadStore(root);
    }
}
