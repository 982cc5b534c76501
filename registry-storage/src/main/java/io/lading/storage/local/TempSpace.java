package io.lading.storage.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A private directory {@code tmp/<uuid>/} for one store instance's temp files. Claiming one first
 * removes everything in {@code tmp/} that no live instance of this JVM owns: the leftovers of a crash.
 * Several store instances over the same root in one JVM therefore never delete each other's temp files;
 * several processes over one root are not supported by the local-disk backend. Thread-safe.
 */
public final class TempSpace {

    /** Temp directories owned by live instances in this JVM; guarded by its own monitor. */
    private static final Set<Path> LIVE = new HashSet<>();

    private final Path dir;
    private final AtomicLong counter = new AtomicLong();

    private TempSpace(Path dir) {
        this.dir = dir;
    }

    /** Empties {@code tmpRoot} of orphans and claims a fresh directory in it. */
    public static TempSpace claim(Path tmpRoot) {
        synchronized (LIVE) {
            try {
                AtomicFiles.createDirectories(tmpRoot);
                Path real = tmpRoot.toRealPath();
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(real)) {
                    for (Path entry : entries) {
                        if (!LIVE.contains(entry)) {
                            AtomicFiles.deleteRecursively(entry);
                        }
                    }
                }
                Path dir = real.resolve(UUID.randomUUID().toString());
                Files.createDirectory(dir);
                LIVE.add(dir);
                return new TempSpace(dir);
            } catch (IOException e) {
                throw StorageFailures.of("cannot prepare temp directory " + tmpRoot, e);
            }
        }
    }

    /** A fresh, unused path in this instance's temp directory (nothing is created). */
    public Path newPath() {
        return dir.resolve(Long.toString(counter.incrementAndGet()));
    }
}
