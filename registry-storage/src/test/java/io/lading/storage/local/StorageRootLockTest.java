package io.lading.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageRootLockTest {

    @TempDir
    Path root;

    @Test
    void aSecondClaimInTheSameProcessIsRefusedUntilTheFirstIsClosed() {
        try (StorageRootLock first = StorageRootLock.acquire(root)) {
            StorageRootLock.RootInUse e = assertThrows(StorageRootLock.RootInUse.class,
                    () -> StorageRootLock.acquire(root));
            assertTrue(e.getMessage().contains(root.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        StorageRootLock.acquire(root).close();
    }

    @Test
    void anotherProcessHoldingTheRootIsNamedAndItsDeathReleasesTheLock() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Holder.class.getName(), root.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            StorageRootLock.RootInUse e = assertThrows(StorageRootLock.RootInUse.class,
                    () -> StorageRootLock.acquire(root));
            assertTrue(e.getMessage().contains("pid " + holder.pid()), e.getMessage());
            assertTrue(e.getMessage().contains("--storage.root"), e.getMessage());
        } finally {
            holder.destroyForcibly(); // SIGKILL: the OS releases the lock without the holder's help
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        try (StorageRootLock mine = StorageRootLock.acquire(root)) {
            assertEquals(ProcessHandle.current().pid() + "\n",
                    Files.readString(root.resolve(StorageRootLock.FILE)));
        }
    }

    /** Holds the lock on the root given as its argument until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            StorageRootLock lock = StorageRootLock.acquire(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
            lock.close();
        }
    }
}
