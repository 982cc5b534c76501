package io.lading.http;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled work of one instance (upload expiry, lifecycle expirer, garbage collection) on one daemon
 * thread. A run that fails with any {@link Throwable}, an {@link Error} included, is logged and counted
 * ({@code background.<task>.failures} in {@code /_lading/metrics}) and the task runs again at its next
 * interval: a {@code ScheduledExecutorService} silently cancels a task whose run throws, which would stop
 * GC or the expirer for good. An {@link OutOfMemoryError} still ends the process, because the shipped
 * JVM flags include {@code -XX:+ExitOnOutOfMemoryError}.
 */
final class BackgroundTasks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackgroundTasks.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("background").daemon().factory());
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

    /**
     * Runs {@code task} every {@code interval} (first run one interval after start, at least a second apart).
     *
     * @param key the metric name part, e.g. {@code gc}
     * @param what how log lines name it, e.g. {@code Garbage collection}
     */
    void every(String key, String what, Duration interval, Runnable task) {
        AtomicLong failed = failures.computeIfAbsent(key, k -> new AtomicLong());
        long seconds = Math.max(1, interval.toSeconds());
        executor.scheduleWithFixedDelay(() -> runGuarded(what, failed, task), seconds, seconds, TimeUnit.SECONDS);
    }

    /** Runs one scheduled run; never throws, so the executor keeps the task scheduled. */
    static void runGuarded(String what, AtomicLong failed, Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            failed.incrementAndGet();
            try {
                log.error("{} failed, next run at its next interval: {}", what, t.toString());
            } catch (Throwable ignored) {
                // logging itself may fail when memory is short; the count above is kept
            }
        }
    }

    /** {@code background.<task>.failures} for every scheduled task. */
    Map<String, Long> metrics() {
        Map<String, Long> m = new TreeMap<>();
        failures.forEach((k, v) -> m.put("background." + k + ".failures", v.get()));
        return m;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
