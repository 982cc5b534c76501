package io.lading.http.authz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.error.RegistryException.Throttled;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket per caller, on a hand-driven clock. */
class RequestRateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private RequestRateLimiter limiter(double perSecond, long burst, long callers) {
        return new RequestRateLimiter(perSecond, burst, callers, now::get);
    }

    @Test
    void aRestedCallerMaySendItsBurstThenIsThrottledUntilTheNextToken() {
        RequestRateLimiter limiter = limiter(10, 5, 100);
        for (int i = 0; i < 5; i++) {
            limiter.acquire("alice");
        }
        Throttled t = assertThrows(Throttled.class, () -> limiter.acquire("alice"));
        assertEquals(Duration.ofMillis(100), t.retryAfter());
        now.addAndGet(Duration.ofMillis(99).toNanos());
        assertThrows(Throttled.class, () -> limiter.acquire("alice"));
        now.addAndGet(Duration.ofMillis(2).toNanos());
        assertDoesNotThrow(() -> limiter.acquire("alice"));
        assertEquals(2L, limiter.metrics().get("throttledRequests"));
    }

    @Test
    void refillNeverExceedsTheBurst() {
        RequestRateLimiter limiter = limiter(10, 3, 100);
        limiter.acquire("alice");
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 3; i++) {
            limiter.acquire("alice");
        }
        assertThrows(Throttled.class, () -> limiter.acquire("alice"));
    }

    @Test
    void oneCallersFloodDoesNotThrottleAnother() {
        RequestRateLimiter limiter = limiter(1, 2, 100);
        limiter.acquire("alice");
        limiter.acquire("alice");
        assertThrows(Throttled.class, () -> limiter.acquire("alice"));
        assertDoesNotThrow(() -> limiter.acquire("bob"));
        assertDoesNotThrow(() -> limiter.acquire(RequestRateLimiter.addressKey("10.0.0.1")));
    }

    @Test
    void anAddressKeyNeverEqualsAPrincipalKey() {
        String arn = "arn:aws:iam::123456789012:user/alice";
        assertTrue(!RequestRateLimiter.addressKey(arn).equals(RequestRateLimiter.principalKey(arn)));
    }

    @Test
    void aCrowdOfCallersIsBoundedInMemory() {
        RequestRateLimiter limiter = limiter(1, 1, 1000);
        for (int i = 0; i < 50_000; i++) {
            limiter.acquire(RequestRateLimiter.addressKey("10.0." + (i >> 8) + "." + (i & 255)));
        }
        assertTrue(limiter.trackedCallers() <= 1000, "tracked " + limiter.trackedCallers());
    }

    @Test
    void offLetsEverythingThrough() {
        RequestRateLimiter off = RequestRateLimiter.off();
        for (int i = 0; i < 100_000; i++) {
            off.acquire("alice");
        }
        assertEquals(0L, off.metrics().get("throttledRequests"));
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> limiter(-1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> limiter(1, 0, 1));
    }
}
