package io.lading.storage.local;

import io.lading.core.digest.Digest;
import io.lading.core.digest.DigestAlgorithm;
import io.lading.core.error.RegistryException.BlobUnknown;
import io.lading.core.spi.BlobContent;
import io.lading.core.spi.BlobInfo;
import io.lading.core.spi.BlobStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@link BlobStore} on local disk: one immutable file per blob under {@code blobs/<alg>/<xx>/}
 * (see {@link LocalDiskLayout}). Blobs are added only by {@link LocalDiskUploadStore#commit}, which
 * links whole, forced files into place. {@link #open} serves a {@link BlobContent.FileRange} for
 * zero-copy sending; a blob deleted while open stays readable through the open channel. The creation
 * time reported is the file's modification time, which commit sets.
 *
 * <p>Thread-safe and stateless apart from the root; it writes no temp files.
 */
public final class LocalDiskBlobStore implements BlobStore {

    private final LocalDiskLayout layout;

    public LocalDiskBlobStore(Path root) {
        this.layout = new LocalDiskLayout(root);
    }

    @Override
    public Optional<BlobInfo> stat(Digest digest) {
        return stat(layout.blob(digest), digest);
    }

    @Override
    public BlobContent open(Digest digest, long offset, long length) {
        try {
            return new BlobContent.FileRange(
                    FileChannel.open(layout.blob(digest), StandardOpenOption.READ), offset, length);
        } catch (NoSuchFileException e) {
            throw new BlobUnknown(digest, "");
        } catch (IOException e) {
            throw StorageFailures.of("cannot open blob " + digest, e);
        }
    }

    @Override
    public boolean delete(Digest digest) {
        Path blob = layout.blob(digest);
        try {
            boolean removed = Files.deleteIfExists(blob);
            if (removed) {
                AtomicFiles.fsyncDirectory(blob.getParent());
            }
            return removed;
        } catch (IOException e) {
            throw StorageFailures.of("cannot delete blob " + digest, e);
        }
    }

    @Override
    public void forEach(Consumer<BlobInfo> sink) {
        forEachFile((path, digest) -> stat(path, digest).ifPresent(sink));
    }

    /** Names only: no file status is read per blob. */
    @Override
    public void forEachDigest(Consumer<Digest> sink) {
        forEachFile((path, digest) -> sink.accept(digest));
    }

    /** Calls {@code sink} with every file under the blob shards whose name is a digest of its shard. */
    private void forEachFile(BiConsumer<Path, Digest> sink) {
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            try (DirectoryStream<Path> shards = Files.newDirectoryStream(layout.blobs(algorithm))) {
                for (Path shard : shards) {
                    forEachInShard(algorithm, shard, sink);
                }
            } catch (NoSuchFileException e) {
                // no blob of this algorithm yet
            } catch (IOException e) {
                throw StorageFailures.of("cannot list " + layout.blobs(algorithm), e);
            }
        }
    }

    private static void forEachInShard(DigestAlgorithm algorithm, Path shard, BiConsumer<Path, Digest> sink)
            throws IOException {
        String prefix = shard.getFileName().toString();
        try (DirectoryStream<Path> blobs = Files.newDirectoryStream(shard)) {
            for (Path blob : blobs) {
                String name = blob.getFileName().toString();
                String text = algorithm.id() + ":" + name;
                if (!name.startsWith(prefix) || prefix.length() != 2 || !Digest.isDigest(text)) {
                    continue;
                }
                sink.accept(blob, Digest.parse(text));
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            // a stray file, or a shard removed while listing
        }
    }

    /** The blob at {@code path}, or empty if there is no regular file there. */
    static Optional<BlobInfo> stat(Path path, Digest digest) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new BlobInfo(digest, attrs.size(), attrs.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw StorageFailures.of("cannot stat blob " + digest, e);
        }
    }
}
