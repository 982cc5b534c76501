package io.lading.http.e2e;

import io.lading.http.testing.TestMetadata;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lading in its own JVM ({@code io.lading.http.Main}, the test class path), so a test can kill it with
 * SIGKILL or watch it run out of memory. Output goes to a log file next to the data directory. Metadata
 * is in the engine {@link TestMetadata} names (on PostgreSQL, the database of the data directory).
 */
final class SubprocessServer implements AutoCloseable {

    private final Path dataDir;
    private final Path log;
    private final String maxHeap;
    private final List<String> jvmOptions;
    private Process process;
    private int port;

    /** @param maxHeap {@code -Xmx} value, or null to take the heap size from {@code jvmOptions} */
    SubprocessServer(Path dataDir, Path log, String maxHeap) {
        this(dataDir, log, maxHeap, List.of());
    }

    /** @param jvmOptions extra options for the JVM, before the main class */
    SubprocessServer(Path dataDir, Path log, String maxHeap, List<String> jvmOptions) {
        this.dataDir = dataDir;
        this.log = log;
        this.maxHeap = maxHeap;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** A server (not started) over a new data directory {@code <work>/data}, logging to {@code <work>/server.log}. */
    static SubprocessServer fresh(Path work, String... jvmOptions) throws IOException {
        return new SubprocessServer(Files.createDirectories(work.resolve("data")), work.resolve("server.log"), "128m",
                List.of(jvmOptions));
    }

    /**
     * A server (not started) at exactly the JVM flags {@code ./lading start} ships with (read from the
     * script, not from {@code LADING_JVM_FLAGS}), over a new data directory under {@code work}.
     */
    static SubprocessServer atShippedFlags(Path work) throws IOException {
        Path script = Path.of("..", "lading");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("JVM_FLAGS=\\$\\{LADING_JVM_FLAGS:-\"([^\"]+)\"}")
                .matcher(Files.readString(script));
        if (!m.find()) {
            throw new IllegalStateException("no JVM_FLAGS line in " + script.toAbsolutePath());
        }
        SubprocessServer server = new SubprocessServer(Files.createDirectories(work.resolve("data")),
                work.resolve("server.log"), null, List.of(m.group(1).trim().split("\\s+")));
        java.util.regex.Matcher malloc = java.util.regex.Pattern.compile("MALLOC_ENV=\\$\\{LADING_MALLOC_ENV:-\"([^\"]+)\"}")
                .matcher(Files.readString(script));
        if (!malloc.find()) {
            throw new IllegalStateException("no MALLOC_ENV line in " + script.toAbsolutePath());
        }
        for (String setting : malloc.group(1).trim().split("\\s+")) {
            String[] kv = setting.split("=", 2);
            server.environment.put(kv[0], kv[1]);
        }
        return server;
    }

    /** Environment variables the server process gets on top of this JVM's (the shipped malloc settings). */
    private final java.util.Map<String, String> environment = new java.util.HashMap<>();

    /** Starts on a fresh free port and waits (up to 60 s) until {@code GET /v2/} answers 200. */
    SubprocessServer start() throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        port = E2e.freePort();
        String javaBin = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path")));
        if (maxHeap != null) {
            cmd.addAll(List.of("-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError"));
        }
        cmd.addAll(io.lading.core.digest.ResumableSha256.JVM_OPENS);
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("io.lading.http.Main",
                // crash safety and streaming memory, not access: authentication off (it is on in every in-process test)
                "--server.port=" + port, "--storage.root=" + dataDir, "--auth.dataPlane=off",
                "--registry.createOnPush=true"));
        cmd.addAll(TestMetadata.flags(dataDir));
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().putAll(environment);
        process = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        HttpClient client = E2e.httpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uri("/v2/"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("server did not answer GET /v2/ within 60 s:\n" + log());
            }
            // wait for the process a little before the next probe (no sleep: returns early if it dies)
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
    }

    Process process() {
        return process;
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    Path dataDir() {
        return dataDir;
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** SIGKILL, then waits for the process to be gone. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("server did not die after SIGKILL");
            }
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 20 s) and drops its PostgreSQL database, if any. */
    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
        TestMetadata.release(dataDir);
    }
}
