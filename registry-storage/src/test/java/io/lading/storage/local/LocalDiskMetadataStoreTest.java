package io.lading.storage.local;

import io.lading.core.spi.MetadataStore;
import io.lading.core.spi.MetadataStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalDiskMetadataStoreTest extends MetadataStoreContract {

    @TempDir
    Path root;

    @Override
    protected MetadataStore newStore() {
        return new LocalDiskMetadataStore(root);
    }
}
