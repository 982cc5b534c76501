package io.lading.storage.local;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of secret files under one root: created {@code rwx------}, its files created
 * {@code rw-------} (the permission is an attribute of the creating call, so there is no moment at which a
 * secret is readable by others), and at start-up anything in it with wider permissions is tightened, with
 * a warning. On a filesystem without POSIX permissions it is an ordinary directory. Immutable and
 * thread-safe.
 */
final class OwnerOnlyFiles {

    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);

    private final Path dir;
    private final FileAttribute<?>[] fileAttributes;

    private OwnerOnlyFiles(Path dir, FileAttribute<?>[] fileAttributes) {
        this.dir = dir;
        this.fileAttributes = fileAttributes;
    }

    /**
     * Creates {@code dir} owner-only if missing (its parent must exist) and tightens whatever it already
     * holds that others could read.
     */
    static OwnerOnlyFiles prepare(Path dir) throws IOException {
        boolean posix = Files.getFileStore(dir.getParent()).supportsFileAttributeView("posix");
        if (!posix) {
            AtomicFiles.createDirectories(dir);
            return new OwnerOnlyFiles(dir, new FileAttribute<?>[0]);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            AtomicFiles.fsyncDirectory(dir.getParent());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
        tighten(dir);
        return new OwnerOnlyFiles(dir, new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)});
    }

    /** The directory itself. */
    Path dir() {
        return dir;
    }

    /** The attributes that create a file readable by its owner only (none where unsupported). */
    FileAttribute<?>[] fileAttributes() {
        return fileAttributes.clone();
    }

    private static void tighten(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                restrict(d, DIRECTORY);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    restrict(file, FILE);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void restrict(Path path, Set<PosixFilePermission> allowed) throws IOException {
        Set<PosixFilePermission> actual = Files.getPosixFilePermissions(path);
        if (!allowed.containsAll(actual)) {
            Set<PosixFilePermission> narrowed = java.util.EnumSet.noneOf(PosixFilePermission.class);
            narrowed.addAll(actual);
            narrowed.retainAll(allowed);
            Files.setPosixFilePermissions(path, narrowed);
            LOG.warn("{} holds secrets but was {}; changed to {}", path, PosixFilePermissions.toString(actual),
                    PosixFilePermissions.toString(narrowed));
        }
    }
}
