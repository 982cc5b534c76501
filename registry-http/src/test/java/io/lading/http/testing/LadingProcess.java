package io.lading.http.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Lading node as its own operating-system process: a child JVM running {@link io.lading.http.Main}
 * (through {@link ChildLadingMain}) on the test class path, with the arguments {@link LadingServer} would
 * use ({@link LadingServer#arguments}: port 0, the default test user, create-on-push; then the caller's
 * flags), so that a test can kill it as an operator's {@code kill -9} or a crashed machine would, which no
 * in-JVM server allows.
 *
 * <p>The contract:
 * <ul>
 * <li>{@link #start} returns once the node listens and {@code GET /v2/} answers (any status); it fails with
 *     the tail of the node's log if the process exits first or {@value #START_SECONDS} s pass, and then leaves
 *     no process behind. The node binds port 0 and the fixture reads the bound port from its start-up line
 *     ({@code Lading listening on http://HOST:PORT}), so concurrent starts never race for a port.</li>
 * <li>Standard output and error go to {@code <logDir>/<name>.log}, appended to across restarts under the
 *     same name; {@link #logTail} reads what this process wrote.</li>
 * <li>{@link #kill()} is {@code SIGKILL} ({@link Process#destroyForcibly()} on Linux) and returns once the
 *     process is gone: nothing of it runs afterwards, no shutdown hook, no close.</li>
 * <li>{@link #close()} stops it gracefully ({@code SIGTERM}, which runs Lading's shutdown hook) and kills it
 *     if it is still running after {@value #STOP_SECONDS} s; closing a killed or stopped node does nothing.</li>
 * <li>No child outlives the test JVM: a shutdown hook kills every node still running, and a child whose
 *     parent died without running it (the parent was itself killed) stops when its standard input, a pipe
 *     from the parent, closes.</li>
 * </ul>
 * Environment variables {@code LADING_*} of the test run are not passed on: the node is configured by its
 * arguments only, as an in-JVM {@link LadingServer} is. Thread-safe. (The end-to-end tests'
 * {@code SubprocessServer} is the older single-server kind: authentication off, a port picked beforehand,
 * the shipped JVM flags if asked; for crash recovery and memory tests over one data directory.)
 */
public final class LadingProcess implements LadingNode, AutoCloseable {

    static final int START_SECONDS = 60;
    static final int STOP_SECONDS = 10;
    private static final Pattern LISTENING = Pattern.compile("Lading listening on http://\\S+:(\\d+) ");
    private static final int TAIL_LINES = 60;
    /** Every child still running, killed by the shutdown hook if the test JVM exits first. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "lading-process-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path log;
    /** Where this process's output starts in {@link #log} (earlier runs under the same name come before). */
    private final long logStart;
    private final int port;

    private LadingProcess(String name, Process process, Path log, long logStart, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
        this.port = port;
    }

    /**
     * Starts a node over storage root {@code root} and waits until it serves.
     *
     * @param name the node's name in messages and its log file's name
     * @param logDir where its log goes (the test's temporary directory)
     * @param flags more configuration arguments ({@code --section.key=value}); later ones win
     * @throws AssertionError if it does not come up, with the tail of its log
     */
    public static LadingProcess start(String name, Path root, Path logDir, String... flags) throws Exception {
        return start(name, root, logDir, List.of(), flags);
    }

    /**
     * As {@link #start(String, Path, Path, String...)}, with more options for the child JVM (before its main
     * class), such as {@code -Xlog:class+load}, whose output goes to the node's log.
     */
    public static LadingProcess start(String name, Path root, Path logDir, List<String> jvmOptions, String... flags)
            throws Exception {
        Path log = logDir.resolve(name + ".log");
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"));
        command.addAll(io.lading.core.digest.ResumableSha256.JVM_OPENS);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildLadingMain.class.getName()));
        command.addAll(LadingServer.arguments(root, true, Arrays.asList(flags)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("LADING_"));
        Process process = builder.start();
        RUNNING.add(process);
        try {
            int port = awaitListening(name, process, log, logStart);
            LadingProcess node = new LadingProcess(name, process, log, logStart, port);
            node.awaitServing();
            return node;
        } catch (Exception | Error e) {
            process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
            RUNNING.remove(process);
            throw e;
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Reads the log until the start-up line names the bound port. */
    private static int awaitListening(String name, Process process, Path log, long logStart) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (true) {
            Matcher m = LISTENING.matcher(read(log, logStart));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                throw new AssertionError("node " + name + " exited with status " + process.exitValue()
                        + " before it listened; its log ends:\n" + tail(log, logStart));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node " + name + " did not listen within " + START_SECONDS
                        + " s; its log ends:\n" + tail(log, logStart));
            }
            Thread.sleep(50);
        }
    }

    /** Waits until {@code GET /v2/} gets an HTTP answer (401 without credentials is one). */
    private void awaitServing() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUri() + "/v2/")).timeout(Duration.ofSeconds(5))
                    .build();
            while (true) {
                try {
                    http.send(probe, HttpResponse.BodyHandlers.discarding());
                    return;
                } catch (IOException e) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new AssertionError("node " + name + " does not answer on port " + port + " (" + e
                                + "); its log ends:\n" + logTail(), e);
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    /** Kills the node with {@code SIGKILL} and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + name + " (pid " + process.pid() + ") survived SIGKILL");
        }
        RUNNING.remove(process);
    }

    /** Stops the node gracefully ({@code SIGTERM}), or kills it after {@value #STOP_SECONDS} s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                kill();
            }
        }
        RUNNING.remove(process);
    }

    @Override
    public int port() {
        return port;
    }

    /** The process id, which the node's name as a lease holder contains ({@code host/pid/random}). */
    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String name() {
        return name;
    }

    /** The last lines this process wrote to its log, for a failure message. */
    public String logTail() {
        return tail(log, logStart);
    }

    @Override
    public String toString() {
        return "node " + name + " (pid " + process.pid() + ", port " + port + ")";
    }

    private static String read(Path log, long from) {
        try {
            byte[] all = Files.readAllBytes(log);
            int start = (int) Math.min(from, all.length);
            return new String(all, start, all.length - start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log, long from) {
        List<String> lines = read(log, from).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }
}
