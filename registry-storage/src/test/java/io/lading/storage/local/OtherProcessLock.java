package io.lading.storage.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An exclusive OS lock on a file held by another process, as another node sharing the storage root would
 * hold it: a second JVM running a one-file program that locks the file with {@code FileChannel.lock} and
 * waits. Closing ends that process, which releases the lock.
 */
final class OtherProcessLock implements AutoCloseable {

    private static final String PROGRAM = """
            import java.nio.channels.FileChannel;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;
            class Holder {
                public static void main(String[] args) throws Exception {
                    FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
                    c.lock();
                    System.out.println("locked");
                    Thread.sleep(120_000);
                }
            }
            """;

    private final Process process;

    private OtherProcessLock(Process process) {
        this.process = process;
    }

    /** Locks {@code file} (which must exist) from another process; returns once it is locked. */
    static OtherProcessLock on(Path file, Path scratch) throws IOException {
        Path program = Files.writeString(scratch.resolve("Holder.java"), PROGRAM);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, program.toString(), file.toString()).redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        if (!"locked".equals(line)) {
            p.destroyForcibly();
            throw new IOException("the lock holder did not start: " + line);
        }
        return new OtherProcessLock(p);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
