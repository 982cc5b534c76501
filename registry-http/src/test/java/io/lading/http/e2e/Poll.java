package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for what other processes do: a condition polled every 20 ms until it holds or time is up. */
final class Poll {

    private Poll() {
    }

    /** Polls {@code condition} until it holds, failing after {@code seconds} with what was waited for. */
    static void await(BooleanSupplier condition, String what, int seconds) throws InterruptedException {
        assertTrue(until(condition, seconds), "waited " + seconds + " s for " + what);
    }

    /** Polls {@code condition} until it holds or {@code seconds} pass; whether it held. */
    static boolean until(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
