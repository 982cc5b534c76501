package io.lading.storage.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.RangeInvalid;
import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.error.RegistryException.UploadUnknown;
import io.lading.core.spi.BlobInfo;
import io.lading.core.spi.UploadState;
import io.lading.core.spi.UploadStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@link UploadStore} on local disk: a session is a directory {@code uploads/<uuid>/} holding
 * {@code data}, {@code info.json} and, once a chunk is hashed, {@code hash} (see {@link LocalDiskLayout}).
 *
 * <p>A session directory is assembled in {@code tmp/} and renamed into {@code uploads/} whole, and is
 * removed by renaming it back into {@code tmp/} before deleting it, so sessions appear and disappear
 * atomically. A directory without a readable {@code info.json} (put there by hand, or by an older
 * version) is still reported, with repository {@code ""} and the directory's modification time.
 *
 * <p>{@link #append} forces the data to disk before returning. If the input stream fails, the data is
 * truncated back to the offset and the stream's {@link IOException} is rethrown wrapped in an
 * {@link UncheckedIOException} (the client's fault); a failure of the file itself becomes
 * {@link StorageFailure}. After a crash in the middle of an append the session may hold part of that
 * chunk; its size then says so, and the caller's digest check at commit catches any damage.
 *
 * <p>{@link #commit} hard-links the data to its blob path (atomically failing if the blob exists, in
 * which case the existing blob is kept), setting its modification time, which the blob store reports as
 * the creation time, to the commit time. With a {@link BlobTarget} (blobs in an object store) it instead
 * hands the data to the target while holding the session, and retires the session once the blob is
 * stored: a failed commit leaves the session as it was, ready for a retry.
 *
 * <p>Ids that are not lower-case UUIDs are unknown sessions and never reach the filesystem.
 *
 * <p>Thread-safe, and no operation waits for another: an append or a commit claims its session in
 * {@link #busy} and is refused if another holds it, so no lock is ever held while a client's bytes are
 * awaited, and a commit never links a file that an append is still writing. Cancel needs no claim: it
 * and commit each move the session directory away atomically, and whichever comes second finds nothing.
 * Across processes sharing the root (nodes on one shared filesystem), an append or commit also holds an
 * OS lock on the session's data file ({@link #claimAcrossNodes}), with the same refusal.
 */
public final class LocalDiskUploadStore implements UploadStore {

    private static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /**
     * The copy buffers of one append (a heap array and a direct buffer of this size each, for the append's
     * length): 64 KiB, not 256, took peak RSS under 64 concurrent pushes down by about 10 MiB and made the
     * crowd no slower (bench/README.md).
     */
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalDiskLayout layout;
    private final TempSpace temp;
    /** Where committed bytes go when blobs are not under the root; null: {@code blobs/} of the root. */
    private final BlobTarget target;
    /**
     * Sessions an append or commit is working on, each with the size the session had when it began
     * ({@link #UNCHANGED} until known, and for a commit, which does not change it): what {@link #get} reports while the data file grows.
     */
    private final ConcurrentHashMap<String, Long> busy = new ConcurrentHashMap<>();
    private static final long UNCHANGED = Long.MAX_VALUE;

    /** Opens the store under {@code root}, removing temp files left over by a crash. */
    public LocalDiskUploadStore(Path root) {
        this(root, null);
    }

    /**
     * Opens the store under {@code root} whose commits store blobs in {@code target} (null: in the root's
     * {@code blobs/}, as {@link LocalDiskBlobStore} reads them).
     */
    public LocalDiskUploadStore(Path root, BlobTarget target) {
        this.target = target;
        this.layout = new LocalDiskLayout(root);
        this.temp = TempSpace.claim(layout.tmp());
        try {
            AtomicFiles.createDirectories(layout.uploads());
        } catch (IOException e) {
            throw StorageFailures.of("cannot create " + layout.uploads(), e);
        }
    }

    @Override
    public UploadState create(String repository, String owner, Instant now) {
        String id = UUID.randomUUID().toString();
        Instant startedAt = Instant.ofEpochMilli(now.toEpochMilli());
        Path staging = temp.newPath();
        try {
            Files.createDirectory(staging);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("repository", repository);
            info.put("owner", owner);
            info.put("startedAt", startedAt.toEpochMilli());
            AtomicFiles.writeTemp(staging.resolve("info.json"), JSON.writeValueAsBytes(info));
            AtomicFiles.writeTemp(staging.resolve("data"), new byte[0]);
            AtomicFiles.fsyncDirectory(staging);
            Files.move(staging, layout.upload(id), StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(layout.uploads());
        } catch (IOException e) {
            deleteQuietly(staging);
            throw StorageFailures.of("cannot create upload session " + id, e);
        }
        return new UploadState(id, repository, owner, startedAt, 0);
    }

    @Override
    public Optional<UploadState> get(String uploadId) {
        if (!isValidId(uploadId)) {
            return Optional.empty();
        }
        return readState(uploadId);
    }

    @Override
    public long append(String uploadId, long offset, InputStream data) {
        requireValidId(uploadId);
        claim(uploadId);
        try (FileChannel ch = openData(uploadId)) {
            claimAcrossNodes(uploadId, ch);
            long size = ch.size();
            if (size != offset) {
                throw new RangeInvalid("expected offset " + size + ", got " + offset, size);
            }
            busy.put(uploadId, size);
            return copy(data, ch, offset);
        } catch (IOException e) {
            throw StorageFailures.of("cannot append to upload " + uploadId, e);
        } finally {
            busy.remove(uploadId);
        }
    }

    /**
     * Claims the session for one append or commit; refused while another holds it. Until the claimer
     * records a size ({@link #busy}), {@link #get} reports the file's size, which it has not changed yet.
     */
    private void claim(String uploadId) {
        Long other = busy.putIfAbsent(uploadId, UNCHANGED);
        if (other != null) {
            long size = get(uploadId).map(UploadState::size).orElse(0L);
            throw new RangeInvalid("another request is writing to or committing upload " + uploadId, size);
        }
    }

    /**
     * Writes the state to {@code hash} by a rename over the old one. A session that is gone (committed or
     * cancelled meanwhile) stays gone: the rename into its missing directory fails, and that is ignored.
     */
    @Override
    public void saveHashState(String uploadId, byte[] hashState) {
        if (!isValidId(uploadId)) {
            return;
        }
        Path staged = temp.newPath();
        try {
            AtomicFiles.writeTemp(staged, hashState);
            Files.move(staged, layout.uploadHash(uploadId), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // the session is gone
        } catch (IOException e) {
            throw StorageFailures.of("cannot save the hash state of upload " + uploadId, e);
        } finally {
            deleteQuietly(staged);
        }
    }

    @Override
    public InputStream read(String uploadId) {
        requireValidId(uploadId);
        try {
            return Files.newInputStream(layout.uploadData(uploadId));
        } catch (NoSuchFileException e) {
            throw new UploadUnknown(uploadId);
        } catch (IOException e) {
            throw StorageFailures.of("cannot read upload " + uploadId, e);
        }
    }

    @Override
    public BlobInfo commit(String uploadId, Digest digest) {
        requireValidId(uploadId);
        claim(uploadId);
        try {
            Path data = layout.uploadData(uploadId);
            FileChannel ch;
            try {
                ch = FileChannel.open(data, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                throw new UploadUnknown(uploadId);
            }
            try (ch) {
                // held until the session is retired below, so no other node's append can still reach it
                claimAcrossNodes(uploadId, ch);
                if (target != null) {
                    BlobInfo stored = target.store(data, ch.size(), digest);
                    removeSession(uploadId); // still holding the lock: no other node's append reaches it
                    return stored;
                }
                ch.force(true);
                return commitClaimed(uploadId, digest, data);
            }
        } catch (IOException e) {
            throw StorageFailures.of("cannot commit upload " + uploadId + " as " + digest, e);
        } finally {
            busy.remove(uploadId);
        }
    }

    /**
     * Claims the session's data against other processes sharing the root (nodes on one shared
     * filesystem): an exclusive OS lock on the open data file, held until {@code ch} is closed; refused if
     * another process holds it. The session must still be in {@code uploads/} once the lock is held: a
     * commit on another node retires it (moves it away) while holding the lock, and an append that opened
     * the file before that must not write into what is now the committed blob.
     */
    private void claimAcrossNodes(String uploadId, FileChannel ch) throws IOException {
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this process holds it: busy should have refused already
        }
        if (lock == null) {
            long size = get(uploadId).map(UploadState::size).orElse(0L);
            throw new RangeInvalid("another node is writing to or committing upload " + uploadId, size);
        }
        if (!Files.exists(layout.uploadData(uploadId))) {
            throw new UploadUnknown(uploadId);
        }
    }

    private BlobInfo commitClaimed(String uploadId, Digest digest, Path data) throws IOException {
        // Retire the session before its bytes become the blob: were both to exist after a crash,
        // an append to the session would write into the committed blob (they share an inode).
        Path retired = temp.newPath();
        Files.move(layout.upload(uploadId), retired, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.fsyncDirectory(layout.uploads());
        Path retiredData = retired.resolve(data.getFileName());
        Path blob = layout.blob(digest);
        try {
            if (!Files.exists(blob)) {
                Files.setLastModifiedTime(retiredData, FileTime.from(Instant.now()));
                boolean parentExisted = Files.isDirectory(blob.getParent());
                if (AtomicFiles.link(retiredData, blob)) {
                    AtomicFiles.fsyncDirectory(blob.getParent());
                    if (!parentExisted) {
                        AtomicFiles.fsyncDirectory(blob.getParent().getParent());
                    }
                }
            }
            return LocalDiskBlobStore.stat(blob, digest)
                    .orElseThrow(() -> new StorageFailure("blob vanished while committing " + digest, null));
        } finally {
            deleteQuietly(retired);
        }
    }

    @Override
    public void cancel(String uploadId) {
        if (!isValidId(uploadId)) {
            return;
        }
        try {
            removeSession(uploadId);
        } catch (IOException e) {
            throw StorageFailures.of("cannot cancel upload " + uploadId, e);
        }
    }

    @Override
    public void forEach(Consumer<UploadState> sink) {
        try (DirectoryStream<Path> sessions = Files.newDirectoryStream(layout.uploads())) {
            for (Path session : sessions) {
                String id = session.getFileName().toString();
                if (isValidId(id)) {
                    readState(id).ifPresent(sink);
                }
            }
        } catch (IOException e) {
            throw StorageFailures.of("cannot list " + layout.uploads(), e);
        }
    }

    private static boolean isValidId(String uploadId) {
        return uploadId != null && UUID_PATTERN.matcher(uploadId).matches();
    }

    private static void requireValidId(String uploadId) {
        if (!isValidId(uploadId)) {
            throw new UploadUnknown(uploadId);
        }
    }

    private FileChannel openData(String uploadId) throws IOException {
        try {
            return FileChannel.open(layout.uploadData(uploadId), StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new UploadUnknown(uploadId);
        }
    }

    /** Copies all of {@code data} to {@code ch} at {@code offset}; on any failure truncates back to it. */
    private static long copy(InputStream data, FileChannel ch, long offset) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        // one direct buffer per append: writing a heap buffer would make the JDK allocate (and zero) a
        // temporary direct buffer on every write, which virtual threads do not cache
        ByteBuffer direct = ByteBuffer.allocateDirect(BUFFER_SIZE);
        long written = 0;
        try {
            ch.position(offset);
            while (true) {
                int n;
                try {
                    n = data.read(buffer);
                } catch (IOException e) {
                    throw new UncheckedIOException("upload stream failed", e);
                }
                if (n < 0) {
                    break;
                }
                direct.clear();
                direct.put(buffer, 0, n).flip();
                while (direct.hasRemaining()) {
                    ch.write(direct);
                }
                written += n;
            }
            ch.force(false);
            return written;
        } catch (IOException | RuntimeException | Error e) {
            try {
                ch.truncate(offset);
                ch.force(false);
            } catch (IOException t) {
                e.addSuppressed(t);
            }
            throw e;
        }
    }

    private Optional<UploadState> readState(String id) {
        Path dir = layout.upload(id);
        long size;
        try {
            size = Files.size(layout.uploadData(id));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw StorageFailures.of("cannot read upload " + id, e);
        }
        Long before = busy.get(id);
        if (before != null) {
            size = Math.min(size, before); // a running append's bytes count once they are all stored
        }
        String repository = "";
        String owner = UploadState.NO_OWNER;
        Instant startedAt = null;
        try {
            JsonNode info = JSON.readTree(Files.readAllBytes(layout.uploadInfo(id)));
            if (info != null && info.path("startedAt").canConvertToLong()) {
                repository = info.path("repository").asText("");
                owner = info.path("owner").asText(UploadState.NO_OWNER);
                startedAt = Instant.ofEpochMilli(info.path("startedAt").asLong());
            }
        } catch (IOException | RuntimeException e) {
            // missing or damaged info.json: fall back to the directory's time below
        }
        if (startedAt == null) {
            try {
                startedAt = Files.getLastModifiedTime(dir).toInstant();
            } catch (NoSuchFileException gone) {
                return Optional.empty();
            } catch (IOException t) {
                throw StorageFailures.of("cannot read upload " + id, t);
            }
        }
        return Optional.of(new UploadState(id, repository, owner, startedAt, size, readHashState(id)));
    }

    /** The saved hash state, or null if there is none or it cannot be read (the caller re-reads the data). */
    private byte[] readHashState(String id) {
        try {
            return Files.readAllBytes(layout.uploadHash(id));
        } catch (IOException e) {
            return null;
        }
    }

    /** Renames the session into tmp/ (so it disappears atomically), then deletes it. */
    private void removeSession(String uploadId) throws IOException {
        Path graveyard = temp.newPath();
        try {
            Files.move(layout.upload(uploadId), graveyard, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        }
        AtomicFiles.fsyncDirectory(layout.uploads());
        deleteQuietly(graveyard);
    }

    private static void deleteQuietly(Path path) {
        try {
            AtomicFiles.deleteRecursively(path);
        } catch (IOException e) {
            // left in tmp/, removed at the next start-up
        }
    }
}
