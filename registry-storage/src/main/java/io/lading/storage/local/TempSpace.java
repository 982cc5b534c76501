package io.lading.storage.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A private directory {@code tmp/<uuid>/} for one store instance's temp files, owned through an exclusive
 * lock on {@code tmp/<uuid>.lock} that the instance holds for the life of its process (the OS releases it
 * when the process ends, even after {@code kill -9}). Claiming one first removes everything in {@code tmp/}
 * that no live owner holds: the leftovers of a crash. A directory is only ever created after its lock is
 * held, so one without a held lock is never in use. Several store instances in one JVM, and several
 * processes sharing one root (nodes on one shared filesystem, whose locks must reach every node: NFSv4 and
 * EFS do), therefore never delete each other's temp files. Thread-safe.
 */
public final class TempSpace {

    /** Temp directories owned by live instances in this JVM; guarded by its own monitor. */
    private static final Set<Path> LIVE = new HashSet<>();
    /** The locks of those directories, kept reachable so that they stay held. */
    private static final List<FileLock> OWNED = new ArrayList<>();
    private static final String LOCK_SUFFIX = ".lock";
    /** New lock files tried before a claim gives up, each removed by another process's sweep in its window. */
    private static final int MAX_ATTEMPTS = 10;

    private final Path dir;
    private final AtomicLong counter = new AtomicLong();

    private TempSpace(Path dir) {
        this.dir = dir;
    }

    /** Empties {@code tmpRoot} of orphans and claims a fresh directory in it. */
    public static TempSpace claim(Path tmpRoot) {
        return claim(tmpRoot, lockFile -> { });
    }

    /**
     * As {@link #claim(Path)}; {@code betweenCreateAndLock} runs after the new lock file is created and before
     * it is locked, where another process's sweep may find it unlocked (tests make one happen there).
     */
    static TempSpace claim(Path tmpRoot, Consumer<Path> betweenCreateAndLock) {
        synchronized (LIVE) {
            try {
                AtomicFiles.createDirectories(tmpRoot);
                Path real = tmpRoot.toRealPath();
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(real)) {
                    for (Path entry : entries) {
                        removeIfOrphan(entry);
                    }
                }
                for (int attempt = 1; ; attempt++) {
                    String name = UUID.randomUUID().toString();
                    Path lockPath = real.resolve(name + LOCK_SUFFIX);
                    FileChannel lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                    betweenCreateAndLock.accept(lockPath);
                    FileLock lock = lockFile.lock();
                    // a sweep that found the file before it was locked removed it (under its own lock, so that
                    // this check, made holding ours, sees it): a lock on a removed file guards nothing
                    if (!Files.exists(lockPath)) {
                        lockFile.close();
                        if (attempt == MAX_ATTEMPTS) {
                            throw new IOException("other processes removed " + MAX_ATTEMPTS + " new lock files in a row");
                        }
                        continue;
                    }
                    OWNED.add(lock); // held until this process ends
                    Path dir = real.resolve(name);
                    Files.createDirectory(dir);
                    LIVE.add(dir);
                    return new TempSpace(dir);
                }
            } catch (IOException e) {
                throw StorageFailures.of("cannot prepare temp directory " + tmpRoot, e);
            }
        }
    }

    /**
     * Deletes {@code entry} of {@code tmp/} unless a live owner holds it: a directory or file whose lock
     * file is locked (by this JVM or another process) stays; everything else (a lock whose owner died, the
     * directory it guarded, files of older versions) goes. The deletion happens holding the owner's lock
     * file, so that an owner that locks the file just after cannot miss that it was removed ({@link #claim}
     * checks for that). The caller holds {@link #LIVE}'s monitor.
     */
    static void removeIfOrphan(Path entry) throws IOException {
        String name = entry.getFileName().toString();
        String owner = name.endsWith(LOCK_SUFFIX) ? name.substring(0, name.length() - LOCK_SUFFIX.length()) : name;
        if (LIVE.contains(entry.resolveSibling(owner))) {
            return;
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(entry.resolveSibling(owner + LOCK_SUFFIX), StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            AtomicFiles.deleteRecursively(entry); // no lock file: nobody owns it
            return;
        }
        try (channel) {
            FileLock taken = channel.tryLock();
            if (taken == null) {
                return; // another process holds it
            }
            try {
                AtomicFiles.deleteRecursively(entry);
            } finally {
                taken.release();
            }
        } catch (OverlappingFileLockException e) {
            // this JVM holds it
        }
    }

    /** A fresh, unused path in this instance's temp directory (nothing is created). */
    public Path newPath() {
        return dir.resolve(Long.toString(counter.incrementAndGet()));
    }
}
