package io.lading.storage.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The claim of one process on a storage root: an OS file lock on {@code <root>/lading.lock}, held until
 * {@link #close()} or the process ends (the OS releases it even after {@code kill -9}). A second process
 * on the same root would wipe the first one's temp directories and race its compare-and-swap, which is
 * guarded by in-process locks only, so it must take this lock before it touches anything else in the
 * root, and refuse to start when it cannot.
 *
 * <p>The file holds the holder's process id, for the operator; it is never deleted (deleting a lock
 * file lets two processes lock two different files). The lock is per file, not per channel, so a second
 * claim from the same JVM is refused too. Thread-safe.
 */
public final class StorageRootLock implements AutoCloseable {

    /** The lock file's name in the root. */
    public static final String FILE = "lading.lock";

    /** The root is locked by another process (or by another claim in this one). */
    public static final class RootInUse extends IllegalStateException {
        RootInUse(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private StorageRootLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code root} if needed and locks it.
     *
     * @throws RootInUse if another process holds the lock
     * @throws io.lading.core.error.RegistryException.StorageFailure if the lock file cannot be opened
     */
    public static StorageRootLock acquire(Path root) {
        Path file = root.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(root);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another channel of this JVM
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new RootInUse("storage root " + root + " is in use by another Lading process ("
                        + (holder.isEmpty() ? "" : "pid " + holder + ", ") + "lock file " + file
                        + "); stop it or choose another --storage.root");
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            return new StorageRootLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw StorageFailures.of("cannot lock storage root " + root + " (lock file " + file + ")", e);
        }
    }

    /** The process id the holder wrote, or "" if there is none. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        channel.read(buf, 0);
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
        return text.matches("[0-9]{1,19}") ? text : "";
    }

    /** Releases the lock; the file stays. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
