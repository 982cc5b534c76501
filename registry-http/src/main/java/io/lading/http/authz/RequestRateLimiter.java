package io.lading.http.authz;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lading.core.error.RegistryException.Throttled;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The per-caller request rate limit ({@code server.requestsPerSecond}, {@code server.requestBurst}): a
 * token bucket per caller, holding up to {@code burst} tokens and refilled at {@code requestsPerSecond};
 * each request takes one, and a caller whose bucket is empty is refused with {@link Throttled}, saying
 * when the next token comes. Callers are keyed by the authenticated principal's ARN, or by source IP for
 * anonymous requests, so one caller's flood never throttles another (an unauthenticated request cannot
 * spend someone else's tokens: it is refused or keyed by its IP before any bucket is charged).
 *
 * <p>The buckets live in a Caffeine cache bounded to {@code maxCallers} entries and dropped after a
 * minute unused (a dropped bucket comes back full, which is what an idle caller's bucket would be after
 * at most {@code burst / requestsPerSecond} seconds anyway). Thread-safe and non-blocking: one cache
 * lookup and a short uncontended lock per request, cheap enough for the event loop. Hand-written bucket:
 * a dozen lines; the libraries that offer one (Bucket4j) are not among this build's dependencies.
 */
public final class RequestRateLimiter {

    private static final Duration IDLE_BUCKET = Duration.ofMinutes(1);

    private final double tokensPerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Cache<String, Bucket> buckets;
    private final LongAdder throttled = new LongAdder();

    /**
     * @param requestsPerSecond refill rate per caller; 0 turns the limit off
     * @param burst most requests a rested caller may send at once (at least 1 when on)
     * @param maxCallers most callers tracked at once
     * @param nanoTime the clock ({@code System::nanoTime} in production)
     */
    public RequestRateLimiter(double requestsPerSecond, long burst, long maxCallers, LongSupplier nanoTime) {
        if (requestsPerSecond < 0 || requestsPerSecond > 0 && burst < 1) {
            throw new IllegalArgumentException("a rate limit needs a rate of 0 or more and a burst of at least 1");
        }
        this.tokensPerNano = requestsPerSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxCallers)
                .expireAfterAccess(IDLE_BUCKET)
                .executor(Runnable::run) // upkeep on the caller's thread: no pool to size, nothing to block on
                .build();
    }

    /** No limit. */
    public static RequestRateLimiter off() {
        return new RequestRateLimiter(0, 0, 1, System::nanoTime);
    }

    public boolean enabled() {
        return tokensPerNano > 0;
    }

    /** Key for an authenticated caller. */
    public static String principalKey(String arn) {
        return arn;
    }

    /** Key for an anonymous caller: its source address (never equal to an ARN). */
    public static String addressKey(String sourceIp) {
        return "ip:" + sourceIp;
    }

    /**
     * Takes one request's token from {@code caller}'s bucket.
     *
     * @throws Throttled when the bucket is empty, with the time until it holds a token again
     */
    public void acquire(String caller) {
        if (!enabled()) {
            return;
        }
        Bucket bucket = buckets.get(caller, k -> new Bucket(burst, nanoTime.getAsLong()));
        long waitNanos = bucket.take(nanoTime.getAsLong());
        if (waitNanos > 0) {
            throttled.increment();
            throw new Throttled("Rate exceeded: more than the allowed requests per second for this caller",
                    Duration.ofNanos(waitNanos));
        }
    }

    /** {@code throttledRequests}: requests refused since start. */
    public Map<String, Long> metrics() {
        return Map.of("throttledRequests", throttled.sum());
    }

    /** Callers currently tracked (for tests of the bound). */
    long trackedCallers() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.lastNanos = now;
        }

        /** Takes a token; returns 0, or how long until one would be there. */
        synchronized long take(long now) {
            tokens = Math.min(burst, tokens + Math.max(0, now - lastNanos) * tokensPerNano);
            lastNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / tokensPerNano);
        }
    }
}
