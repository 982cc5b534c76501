package io.lading.core.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.RegistrySettings;
import io.lading.core.error.RegistryException.LimitExceeded;
import io.lading.core.spi.UploadState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The session counts behind {@code registry.uploadSessionsPerPrincipal} and {@code registry.uploadSessionsTotal}. */
class UploadSlotsTest {

    private static final String ALICE = "arn:aws:iam::111111111111:user/alice";
    private static final String MALLORY = "arn:aws:iam::111111111111:user/mallory";
    private int ids;

    private static UploadSlots slots(int perPrincipal, int total) {
        return new UploadSlots(RegistrySettings.defaults().withUploadSessionLimits(perPrincipal, total));
    }

    private String open(UploadSlots slots, String owner) {
        slots.reserve(owner);
        String id = "session-" + ids++;
        slots.bind(id, owner);
        return id;
    }

    @Test
    void onePrincipalCannotTakeMoreThanItsShare() {
        UploadSlots slots = slots(3, 5);
        for (int i = 0; i < 3; i++) {
            open(slots, MALLORY);
        }
        LimitExceeded e = assertThrows(LimitExceeded.class, () -> slots.reserve(MALLORY));
        assertTrue(e.getMessage().contains("registry.uploadSessionsPerPrincipal = 3"), e.getMessage());
        assertTrue(e.getMessage().contains(MALLORY), e.getMessage());
        assertEquals(Duration.ofSeconds(10), e.retryAfter().orElseThrow());
        // what mallory could not take is still there for alice
        open(slots, ALICE);
        open(slots, ALICE);
        assertEquals(5, slots.total());
        LimitExceeded full = assertThrows(LimitExceeded.class, () -> slots.reserve(ALICE));
        assertTrue(full.getMessage().contains("registry.uploadSessionsTotal = 5"), full.getMessage());
        assertTrue(full.retryAfter().isPresent());
    }

    @Test
    void aReleasedSlotIsFreeAgainOnceOnly() {
        UploadSlots slots = slots(2, 10);
        String a = open(slots, ALICE);
        open(slots, ALICE);
        assertThrows(LimitExceeded.class, () -> slots.reserve(ALICE));
        slots.release(a);
        slots.release(a);
        slots.release("never-opened");
        assertEquals(1, slots.of(ALICE));
        assertEquals(1, slots.total());
        open(slots, ALICE);
        assertThrows(LimitExceeded.class, () -> slots.reserve(ALICE));
    }

    @Test
    void anUnusedReservationIsGivenBack() {
        UploadSlots slots = slots(1, 1);
        slots.reserve(ALICE);
        slots.unreserve(ALICE);
        assertEquals(0, slots.total());
        assertEquals(0, slots.of(ALICE));
        open(slots, ALICE);
    }

    @Test
    void anonymousSessionsCountTowardsTheTotalOnly() {
        UploadSlots slots = slots(2, 4);
        for (int i = 0; i < 4; i++) {
            open(slots, UploadState.NO_OWNER);
        }
        LimitExceeded e = assertThrows(LimitExceeded.class, () -> slots.reserve(UploadState.NO_OWNER));
        assertTrue(e.getMessage().contains("registry.uploadSessionsTotal"), e.getMessage());
        assertThrows(LimitExceeded.class, () -> slots.reserve(ALICE));
    }

    @Test
    void sessionsFoundAtStartUpCountEvenOverTheLimits() {
        UploadSlots slots = slots(2, 3);
        for (int i = 0; i < 4; i++) {
            slots.adopt("stored-" + i, ALICE);
        }
        slots.adopt("stored-0", ALICE); // found twice: counted once
        assertEquals(4, slots.total());
        assertThrows(LimitExceeded.class, () -> slots.reserve(MALLORY));
        slots.release("stored-0");
        slots.release("stored-1");
        open(slots, MALLORY); // 3 of 3 in total again
        assertThrows(LimitExceeded.class, () -> slots.reserve(MALLORY));
    }

    @Test
    void concurrentOpenersNeverExceedTheLimits() throws Exception {
        UploadSlots slots = slots(7, 20);
        int threads = 16;
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        ConcurrentLinkedQueue<String> held = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String owner = "arn:aws:iam::111111111111:user/u" + (t % 4);
            int seed = t;
            all.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 2000; i++) {
                    try {
                        slots.reserve(owner);
                        String id = owner + "#" + seed + "#" + i;
                        slots.bind(id, owner);
                        admitted.incrementAndGet();
                        held.add(id);
                        if (slots.total() > 20 || slots.of(owner) > 7) {
                            violations.incrementAndGet();
                        }
                    } catch (LimitExceeded e) {
                        String some = held.poll();
                        if (some != null) {
                            slots.release(some);
                        }
                    }
                }
            }));
        }
        go.countDown();
        for (Thread t : all) {
            t.join();
        }
        assertEquals(0, violations.get(), "a limit was exceeded");
        assertTrue(admitted.get() > 20, "the test exercised releases");
        assertEquals(held.size(), slots.total());
        String some;
        while ((some = held.poll()) != null) {
            slots.release(some);
        }
        assertEquals(0, slots.total());
    }
}
