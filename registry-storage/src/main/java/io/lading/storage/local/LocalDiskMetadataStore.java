package io.lading.storage.local;

import io.lading.core.digest.DigestAlgorithm;
import io.lading.core.spi.MetadataStore;
import io.lading.core.spi.QuarantinedDocument;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * {@link MetadataStore} on local disk: one file per key under {@code meta/} (see {@link LocalDiskLayout}).
 *
 * <p>Every write goes to a temp file that is forced to disk and then renamed into place, or, for
 * {@link #createIfAbsent}, hard-linked into place (which fails atomically if the key exists), so a
 * reader, even after a crash, sees an old or a new value, never a mix.
 *
 * <p>A value's version is the lower-case hex SHA-256 of its bytes. Writing A, then B, then A again
 * therefore yields the first version again; that is harmless because compare-and-swap then compares
 * content, and the content is indeed what the caller read.
 *
 * <p>Thread-safe. {@link #replace}, {@link #put} and both deletes hold a per-key striped lock around
 * their read-compare-write, so they are linearizable within this process; {@link #createIfAbsent} is
 * atomic even across processes, compare-and-swap is not, so one root must be used by one process.
 *
 * <p>Secret keys ({@link MetadataStore#isSecret}) live in {@code meta/auth/}, a directory created
 * {@code rwx------}; their files, temp files included, are created {@code rw-------}. Opening the store
 * tightens anything in that directory that others could read, with a warning.
 */
public final class LocalDiskMetadataStore implements MetadataStore {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._:-]+");
    private static final String QUARANTINED_DOCUMENT = "document";
    private static final String QUARANTINE_INFO = "info.json";
    private static final com.fasterxml.jackson.databind.ObjectMapper QUARANTINE_JSON =
            com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private final LocalDiskLayout layout;
    private final TempSpace temp;
    private final StripedLocks locks = new StripedLocks();
    private final OwnerOnlyFiles secrets;

    /**
     * Opens the store under {@code root}, removing temp files left over by a crash and restricting
     * secret files that others could read.
     */
    public LocalDiskMetadataStore(Path root) {
        this.layout = new LocalDiskLayout(root);
        this.temp = TempSpace.claim(layout.tmp());
        try {
            AtomicFiles.createDirectories(layout.meta());
            this.secrets = OwnerOnlyFiles.prepare(layout.metaDirectory(SECRETS));
        } catch (IOException e) {
            throw StorageFailures.of("cannot create " + layout.meta(), e);
        }
    }

    @Override
    public Optional<Versioned> get(String key) {
        validateKey(key);
        return read(layout.metaFile(key));
    }

    @Override
    public boolean createIfAbsent(String key, byte[] value) {
        validateKey(key);
        Path file = layout.metaFile(key);
        try {
            Path tmp = temp.newPath();
            AtomicFiles.writeTemp(tmp, value, attributes(key));
            return AtomicFiles.createIfAbsent(tmp, file);
        } catch (IOException e) {
            throw StorageFailures.of("cannot create " + file, e);
        }
    }

    @Override
    public boolean replace(String key, String expectedVersion, byte[] value) {
        validateKey(key);
        Path file = layout.metaFile(key);
        ReentrantLock lock = locks.lockFor(key);
        lock.lock();
        try {
            Optional<Versioned> current = read(file);
            if (current.isEmpty() || !current.get().version().equals(expectedVersion)) {
                return false;
            }
            write(key, value);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(String key, byte[] value) {
        validateKey(key);
        ReentrantLock lock = locks.lockFor(key);
        lock.lock();
        try {
            write(key, value);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean delete(String key, String expectedVersion) {
        validateKey(key);
        Path file = layout.metaFile(key);
        ReentrantLock lock = locks.lockFor(key);
        lock.lock();
        try {
            Optional<Versioned> current = read(file);
            if (current.isEmpty() || !current.get().version().equals(expectedVersion)) {
                return false;
            }
            return remove(key);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete(String key) {
        validateKey(key);
        ReentrantLock lock = locks.lockFor(key);
        lock.lock();
        try {
            remove(key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code prefix} must be empty (every key) or a valid key followed by {@code /}.
     */
    @Override
    public List<String> list(String prefix) {
        if (prefix == null || (!prefix.isEmpty() && !prefix.endsWith("/"))) {
            throw new IllegalArgumentException("prefix must be empty or end with '/': " + prefix);
        }
        if (!prefix.isEmpty()) {
            validateKey(prefix.substring(0, prefix.length() - 1));
        }
        Path start = layout.metaDirectory(prefix);
        List<String> keys = new ArrayList<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (attrs.isRegularFile() && name.endsWith(LocalDiskLayout.META_SUFFIX)) {
                        String relative = layout.meta().relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                        keys.add(LocalDiskLayout.fromPath(
                                relative.substring(0, relative.length() - LocalDiskLayout.META_SUFFIX.length())));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // removed while listing, or no such prefix
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw StorageFailures.of("cannot list " + start, e);
        }
        return keys;
    }

    /**
     * Moves the key's file to {@code quarantine/<epoch millis>-<uuid>/document}, after writing
     * {@code info.json} (key, original path, reason, time) beside where it will be, so a crash leaves
     * either the document in place (quarantined again at the next load) or a complete entry; an entry
     * without its document is not reported. {@code quarantine/} is {@code rwx------}: a quarantined
     * document may be a secret.
     */
    @Override
    public Optional<QuarantinedDocument> quarantine(String key, String reason, Instant now) {
        validateKey(key);
        Path file = layout.metaFile(key);
        ReentrantLock lock = locks.lockFor(key);
        lock.lock();
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            Path entry = quarantineRoot().resolve(now.toEpochMilli() + "-" + UUID.randomUUID());
            Files.createDirectory(entry);
            Path document = entry.resolve(QUARANTINED_DOCUMENT);
            QuarantinedDocument doc = new QuarantinedDocument(key, file.toString(), document.toString(), reason, now);
            Path info = temp.newPath();
            AtomicFiles.writeTemp(info, QUARANTINE_JSON.writeValueAsBytes(doc));
            AtomicFiles.replace(info, entry.resolve(QUARANTINE_INFO));
            try {
                Files.move(file, document, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException gone) {
                AtomicFiles.deleteRecursively(entry); // deleted meanwhile: nothing to keep
                return Optional.empty();
            }
            AtomicFiles.fsyncDirectory(entry);
            AtomicFiles.fsyncDirectory(file.getParent());
            AtomicFiles.deleteEmptyDirectories(file.getParent(), layout.meta());
            return Optional.of(doc);
        } catch (IOException e) {
            throw StorageFailures.of("cannot quarantine " + file, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<QuarantinedDocument> quarantined() {
        Path dir = layout.quarantine();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<QuarantinedDocument> found = new ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.exists(entry.resolve(QUARANTINED_DOCUMENT)) && Files.exists(entry.resolve(QUARANTINE_INFO))) {
                    try {
                        found.add(QUARANTINE_JSON.readValue(entry.resolve(QUARANTINE_INFO).toFile(),
                                QuarantinedDocument.class));
                    } catch (IOException e) {
                        found.add(new QuarantinedDocument("", "", entry.resolve(QUARANTINED_DOCUMENT).toString(),
                                "info.json unreadable: " + e.getMessage(), null));
                    }
                }
            }
        } catch (IOException e) {
            throw StorageFailures.of("cannot list " + dir, e);
        }
        return found;
    }

    /** {@code quarantine/}, created owner-only. */
    private Path quarantineRoot() throws IOException {
        Path dir = layout.quarantine();
        if (!Files.isDirectory(dir)) {
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                try {
                    Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another quarantine created it
                }
            } else {
                AtomicFiles.createDirectories(dir);
            }
        }
        return dir;
    }

    /** Throws {@link IllegalArgumentException} unless {@code key} satisfies the key grammar of the SPI. */
    static void validateKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("empty metadata key");
        }
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid metadata key: " + key);
            }
        }
    }

    private Optional<Versioned> read(Path file) {
        try {
            byte[] value = Files.readAllBytes(file);
            return Optional.of(new Versioned(value, version(value)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw StorageFailures.of("cannot read " + file, e);
        }
    }

    private void write(String key, byte[] value) {
        Path file = layout.metaFile(key);
        try {
            Path tmp = temp.newPath();
            AtomicFiles.writeTemp(tmp, value, attributes(key));
            AtomicFiles.replace(tmp, file);
        } catch (IOException e) {
            throw StorageFailures.of("cannot write " + file, e);
        }
    }

    /** Owner-only permissions for a secret key's file, none for the others. */
    private FileAttribute<?>[] attributes(String key) {
        return MetadataStore.isSecret(key) ? secrets.fileAttributes() : new FileAttribute<?>[0];
    }

    private boolean remove(String key) {
        Path file = layout.metaFile(key);
        boolean removed;
        try {
            removed = Files.deleteIfExists(file);
        } catch (IOException e) {
            throw StorageFailures.of("cannot delete " + file, e);
        }
        if (removed) {
            AtomicFiles.fsyncDirectory(file.getParent());
            // the secret directory itself stays, so that it keeps its owner-only permissions
            AtomicFiles.deleteEmptyDirectories(file.getParent(), MetadataStore.isSecret(key) ? secrets.dir() : layout.meta());
        }
        return removed;
    }

    private static String version(byte[] value) {
        return DigestAlgorithm.SHA256.digest(value).hex();
    }
}
