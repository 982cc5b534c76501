package io.lading.http.e2e;

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
 * SIGKILL or watch it run out of memory. Output goes to a log file next to the data directory.
 */
final class SubprocessServer implements AutoCloseable {

    private final Path dataDir;
    private final Path log;
    private final String maxHeap;
    private Process process;
    private int port;

    SubprocessServer(Path dataDir, Path log, String maxHeap) {
        this.dataDir = dataDir;
        this.log = log;
        this.maxHeap = maxHeap;
    }

    /** Starts on a fresh free port and waits (up to 60 s) until {@code GET /v2/} answers 200. */
    SubprocessServer start() throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        port = E2e.freePort();
        String javaBin = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError", "io.lading.http.Main",
                // crash safety and streaming memory, not access: authentication off (it is on in every in-process test)
                "--server.port=" + port, "--storage.root=" + dataDir, "--auth.dataPlane=off",
                "--registry.createOnPush=true"));
        process = new ProcessBuilder(cmd)
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

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
