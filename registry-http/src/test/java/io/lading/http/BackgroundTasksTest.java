package io.lading.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundTasksTest {

    @Test
    void aRunThatThrowsAnErrorIsCountedAndTheTaskRunsAgain() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ranAfterFailures = new CountDownLatch(1);
        try (BackgroundTasks tasks = new BackgroundTasks()) {
            tasks.every("gc", "Garbage collection", Duration.ofSeconds(1), () -> {
                int n = runs.incrementAndGet();
                if (n == 1) {
                    throw new OutOfMemoryError("simulated: Java heap space");
                }
                if (n == 2) {
                    throw new StackOverflowError();
                }
                ranAfterFailures.countDown();
            });
            assertTrue(ranAfterFailures.await(10, TimeUnit.SECONDS), "the task stopped after an Error");
            assertEquals(2L, tasks.metrics().get("background.gc.failures"));
        }
    }

    @Test
    void everyTaskHasAFailureCountFromTheStart() {
        try (BackgroundTasks tasks = new BackgroundTasks()) {
            tasks.every("expirer", "Lifecycle expirer", Duration.ofHours(1), () -> { });
            assertEquals(0L, tasks.metrics().get("background.expirer.failures"));
        }
    }
}
