package io.lading.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.spi.MetadataStore;
import io.lading.core.spi.MetadataStoreContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDiskMetadataStoreTest extends MetadataStoreContract {

    @TempDir
    Path root;

    @Override
    protected MetadataStore newStore() {
        return new LocalDiskMetadataStore(root);
    }

    @Test
    void aSegmentOfUpTo200CharactersKeepsItsFileAsEarlierVersionsWroteIt() {
        String key = "repositories/" + "a".repeat(200) + "/_repository";
        store.put(key, "x".getBytes(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(root.resolve("meta").resolve(key + "@")));
    }

    @Test
    void aLongerSegmentIsSplitIntoDirectoriesOf200EachButTheLastMarkedContinued() {
        String name = "b".repeat(200) + "c".repeat(200) + "d".repeat(56);
        String key = "repositories/" + name + "/_repository";
        store.put(key, "x".getBytes(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(root.resolve("meta/repositories").resolve("b".repeat(200) + "+")
                .resolve("c".repeat(200) + "+").resolve("d".repeat(56)).resolve("_repository@")));
        assertEquals(key, LocalDiskLayout.fromPath(LocalDiskLayout.toPath(key)));
    }
}
