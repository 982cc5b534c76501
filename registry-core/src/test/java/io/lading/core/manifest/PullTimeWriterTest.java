package io.lading.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PullTimeWriterTest {

    @Test
    void aCrowdPullingOneImageCostsOneWriteWhileItIsPending() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger writes = new AtomicInteger();
        try (PullTimeWriter writer = new PullTimeWriter(16, Duration.ofSeconds(10))) {
            for (int i = 0; i < 100; i++) {
                writer.submit("repo@sha256:a", () -> {
                    writes.incrementAndGet();
                    await(release);
                });
            }
            release.countDown();
        }
        assertEquals(1, writes.get());
    }

    @Test
    void closeFinishesTheQueuedWritesAndLaterOnesAreDropped() {
        List<String> done = new CopyOnWriteArrayList<>();
        PullTimeWriter writer = new PullTimeWriter(16, Duration.ofSeconds(10));
        for (String image : List.of("a", "b", "c")) {
            writer.submit(image, () -> {
                sleep(50);
                done.add(image);
            });
        }
        writer.close();
        assertEquals(List.of("a", "b", "c"), done, "every queued write ran before close returned");
        writer.submit("d", () -> done.add("d"));
        assertEquals(3, done.size());
        assertEquals(1, writer.dropped());
    }

    @Test
    void aFullQueueDropsAndCountsAndAFailedWriteDoesNotStopTheNext() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> done = new CopyOnWriteArrayList<>();
        try (PullTimeWriter writer = new PullTimeWriter(1, Duration.ofSeconds(10))) {
            writer.submit("a", () -> {
                running.countDown();
                await(release);
                throw new IllegalStateException("database gone");
            });
            assertTrue(running.await(10, TimeUnit.SECONDS));
            writer.submit("b", () -> done.add("b")); // waits in the one place of the queue
            writer.submit("c", () -> done.add("c")); // no room
            assertEquals(1, writer.dropped());
            release.countDown();
        }
        assertEquals(List.of("b"), done);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
