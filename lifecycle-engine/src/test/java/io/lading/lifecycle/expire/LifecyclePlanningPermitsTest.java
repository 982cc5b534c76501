package io.lading.lifecycle.expire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The permits that bound how many plans a node holds at once: a caller beyond the bound waits, and gives
 * up after its wait (the preview then answers LifecyclePolicyPreviewInProgressException); a permit comes
 * back when its plan ends, even if the plan failed.
 */
class LifecyclePlanningPermitsTest {

    @Test
    void aPlanBeyondTheBoundWaitsThenGivesUpAndAReleasedPermitServesTheNext() throws Exception {
        LifecyclePlanning planning = new LifecyclePlanning(1);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Optional<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return planning.withPermit(Duration.ofSeconds(5), () -> {
                    holding.countDown();
                    try {
                        finish.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "first";
                });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(holding.await(30, TimeUnit.SECONDS));
        AtomicInteger ran = new AtomicInteger();
        assertEquals(Optional.empty(), planning.withPermit(Duration.ofMillis(100), ran::incrementAndGet),
                "the only permit is held: the second plan gives up after its wait");
        assertEquals(0, ran.get(), "and did not run");
        finish.countDown();
        assertEquals(Optional.of("first"), first.get(30, TimeUnit.SECONDS));
        assertEquals(Optional.of(1), planning.withPermit(Duration.ofMillis(100), ran::incrementAndGet),
                "the permit came back when the first plan ended");
    }

    @Test
    void aFailedPlanReturnsItsPermit() throws Exception {
        LifecyclePlanning planning = new LifecyclePlanning(1);
        assertThrows(IllegalStateException.class, () -> planning.withPermit(Duration.ofMillis(100), () -> {
            throw new IllegalStateException("database gone");
        }));
        assertEquals(Optional.of("next"), planning.withPermit(Duration.ofMillis(100), () -> "next"));
    }

    @Test
    void atLeastOnePlanAtATime() {
        assertThrows(IllegalArgumentException.class, () -> new LifecyclePlanning(0));
    }
}
