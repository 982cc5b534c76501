package io.lading.storage.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;

/**
 * Crash-safe file operations. A file becomes visible only whole: it is written to a temp file, forced
 * to disk, then renamed ({@link #replace}) or hard-linked ({@link #createIfAbsent}) into place, and
 * the target directory is forced so the new entry survives a crash. Stateless and thread-safe.
 */
final class AtomicFiles {

    /** How often a write is retried when a concurrent cleanup removes its (empty) parent directory. */
    private static final int PARENT_RETRIES = 100;

    private AtomicFiles() {
    }

    /**
     * Writes {@code bytes} to the new file {@code temp}, created with {@code attributes} (e.g. owner-only
     * permissions, which a rename or link then carries into place), and forces it to disk.
     */
    static void writeTemp(Path temp, byte[] bytes, FileAttribute<?>... attributes) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attributes)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** Atomically moves the forced file {@code temp} over {@code target}, creating parent directories. */
    static void replace(Path temp, Path target) throws IOException {
        try {
            for (int attempt = 0; ; attempt++) {
                createDirectories(target.getParent());
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    break;
                } catch (NoSuchFileException e) {
                    if (attempt >= PARENT_RETRIES || !Files.exists(temp)) {
                        throw e;
                    }
                }
            }
        } finally {
            deleteQuietly(temp);
        }
        fsyncDirectory(target.getParent());
    }

    /**
     * Atomically links the forced file {@code temp} to {@code target} unless {@code target} exists, and
     * deletes {@code temp}. Returns false, changing nothing, if {@code target} exists.
     */
    static boolean createIfAbsent(Path temp, Path target) throws IOException {
        try {
            if (!link(temp, target)) {
                return false;
            }
        } finally {
            deleteQuietly(temp);
        }
        fsyncDirectory(target.getParent());
        return true;
    }

    /**
     * Hard-links {@code existing} to the new name {@code target}, creating parent directories; false if
     * {@code target} exists. Does not force the directory.
     */
    static boolean link(Path existing, Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            createDirectories(target.getParent());
            try {
                Files.createLink(target, existing);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (NoSuchFileException e) {
                if (attempt >= PARENT_RETRIES || !Files.exists(existing)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Creates {@code dir} and its missing ancestors, forcing each parent so the new entries are durable.
     * Tolerates concurrent creation.
     */
    static void createDirectories(Path dir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            if (Files.isDirectory(dir)) {
                return;
            }
            Path parent = dir.getParent();
            if (parent != null) {
                createDirectories(parent);
            }
            try {
                Files.createDirectory(dir);
                if (parent != null) {
                    fsyncDirectory(parent);
                }
                return;
            } catch (FileAlreadyExistsException e) {
                // created concurrently (fine), or created and pruned again, or a file is in the way
                if (Files.isDirectory(dir)) {
                    return;
                }
                if (attempt >= PARENT_RETRIES) {
                    throw e;
                }
            } catch (NoSuchFileException e) {
                // an empty parent was pruned concurrently: create it again
                if (attempt >= PARENT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** Forces a directory's entries to disk; ignored where the filesystem refuses to open directories. */
    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some filesystems (and platforms) cannot open or force a directory; nothing more can be done
        }
    }

    /**
     * Removes {@code dir} and then its ancestors while they are empty, stopping at {@code stop} (kept).
     * Best effort: a directory that is not empty or already gone ends the walk.
     */
    static void deleteEmptyDirectories(Path dir, Path stop) {
        for (Path d = dir; d != null && !d.equals(stop) && d.startsWith(stop); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (IOException e) {
                return; // not empty (DirectoryNotEmptyException), already gone, or not removable
            }
        }
    }

    /** Deletes a file or a directory tree; a missing path is not an error. */
    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a stray temp file is removed at the next start-up
        }
    }
}
