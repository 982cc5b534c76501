package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.testing.TestMetadata;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code io.lading.http.Main} as an operator runs it: a start that cannot succeed exits at once, non-zero,
 * with one line naming what to change (the address and the flag, or the key and where its value came
 * from), never a stack trace; relative paths mean the caller's directory.
 */
class StartupFailureTest {

    @TempDir
    Path work;

    private static List<String> main(String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=logback.xml", "io.lading.http.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The process's whole output, asserted to be one line without a stack trace. */
    private static String oneLine(E2e.Result r) {
        String all = (r.out() + r.stderr()).strip();
        assertFalse(all.contains("\tat ") || all.contains("Exception in thread"), r.describe());
        List<String> lading = all.lines().filter(l -> l.startsWith("lading: ")).toList();
        assertEquals(1, lading.size(), r.describe());
        return lading.get(0);
    }

    @Test
    void aBusyPortIsOneLineNamingTheAddressAndTheFlagAndTheProcessExits() throws Exception {
        Path data = work.resolve("data");
        List<String> args = new ArrayList<>(List.of("--server.port=", "--storage.root=" + data));
        args.addAll(TestMetadata.flags(data)); // the metadata database is open when the bind fails
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            args.set(0, "--server.port=" + taken.getLocalPort());
            E2e.Result r = E2e.run(Duration.ofSeconds(60), Map.of(), main(args.toArray(String[]::new)));
            assertEquals(1, r.exit(), r.describe()); // -1 would mean it hung, as a live event loop made it
            String line = oneLine(r);
            assertTrue(line.contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), line);
            assertTrue(line.toLowerCase(java.util.Locale.ROOT).contains("address already in use"), line);
            assertTrue(line.contains("--server.port"), line);
        } finally {
            TestMetadata.release(data);
        }
    }

    @Test
    void aBadValueNamesTheKeyAndWhereItCameFrom() throws Exception {
        Path root = work.resolve("data");
        String flag = oneLine(E2e.run(Duration.ofSeconds(60), Map.of(), main("--server.port=abc",
                "--storage.root=" + root)));
        assertEquals("lading: invalid configuration key server.port (flag --server.port): 'abc' is not a whole number",
                flag);

        String env = oneLine(E2e.run(Duration.ofSeconds(60), Map.of("LADING_LIFECYCLE_GCINTERVAL", "hourly"),
                main("--storage.root=" + root)));
        assertTrue(env.startsWith("lading: invalid configuration key lifecycle.gcInterval (environment variable"
                + " LADING_LIFECYCLE_GCINTERVAL): 'hourly' is not an ISO-8601 duration"), env);

        Path file = Files.writeString(work.resolve("lading.yaml"), "auth:\n  dataPlane: sometimes\n");
        String fromFile = oneLine(E2e.run(Duration.ofSeconds(60), Map.of(), main("--config", file.toString(),
                "--storage.root=" + root)));
        assertTrue(fromFile.startsWith("lading: invalid configuration key auth.dataPlane (file " + file + "): "),
                fromFile);

        Path typo = Files.writeString(work.resolve("typo.yaml"), "server:\n  prot: 5000\n");
        assertEquals("lading: unknown configuration key server.prot (in file " + typo + ")",
                oneLine(E2e.run(Duration.ofSeconds(60), Map.of(), main("--config", typo.toString()))));

        Path broken = Files.writeString(work.resolve("broken.yaml"), "server: [port: 1\n");
        String unreadable = oneLine(E2e.run(Duration.ofSeconds(60), Map.of(), main("--config", broken.toString())));
        assertTrue(unreadable.startsWith("lading: cannot read configuration file " + broken + ": "), unreadable);
        assertTrue(unreadable.contains(" at line "), unreadable);
        assertFalse(Files.exists(root), "nothing was created by a start that failed on its configuration");
    }

    @Test
    void relativePathsMeanTheCallersDirectory() throws Exception {
        Files.writeString(work.resolve("relative.yaml"), "server:\n  port: 0\n");
        Process p = new ProcessBuilder(main("--config", "relative.yaml", "--storage.root=rel/data"))
                .directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("out.log").toFile()).start();
        try {
            Path lock = work.resolve("rel/data/lading.lock");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(work.resolve("out.log")).contains("Lading listening") && p.isAlive()
                    && System.nanoTime() < deadline) {
                p.waitFor(100, TimeUnit.MILLISECONDS);
            }
            String log = Files.readString(work.resolve("out.log"));
            assertTrue(log.contains("Lading listening") && log.contains(work.resolve("rel/data").toString()), log);
            assertTrue(Files.exists(lock), log);
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
