package io.lading.http.server;

import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The minimum body rate of one request ({@code server.minBodyBytesPerSecond} over each
 * {@code server.bodyRateWindow}): closes the connection of a client that sends a body it owes slower
 * than the minimum over a whole window in which reading was on all along. Windows in which Lading itself
 * held reading off (backpressure, the body budget, a wait for an upload slot) are not judged. Counted and
 * checked on the event loop; {@link #paused} may be called from any thread.
 */
final class BodyRateCheck {

    private static final Logger log = LoggerFactory.getLogger(BodyRateCheck.class);

    /** The setting: at least {@code bytesPerSecond} over every {@code window}; 0 turns it off. */
    record Minimum(long bytesPerSecond, Duration window) {
        boolean enabled() {
            return bytesPerSecond > 0;
        }
    }

    private final Minimum minimum;
    private final ChannelHandlerContext ctx;
    private final BooleanSupplier stillOwed;
    private long received;
    private long receivedAtCheck;
    private volatile boolean pausedSinceCheck;
    private ScheduledFuture<?> checks;

    private BodyRateCheck(Minimum minimum, ChannelHandlerContext ctx, BooleanSupplier stillOwed) {
        this.minimum = minimum;
        this.ctx = ctx;
        this.stillOwed = stillOwed;
    }

    /**
     * Starts checking a body (event loop); {@code stillOwed} says whether the request is still the
     * connection's current one with its body not yet all in. Returns null when the check is off.
     */
    static BodyRateCheck start(Minimum minimum, ChannelHandlerContext ctx, BooleanSupplier stillOwed) {
        if (!minimum.enabled()) {
            return null;
        }
        BodyRateCheck c = new BodyRateCheck(minimum, ctx, stillOwed);
        long every = minimum.window().toNanos();
        c.checks = ctx.executor().scheduleAtFixedRate(c::check, every, every, TimeUnit.NANOSECONDS);
        return c;
    }

    /** Body bytes arrived (event loop). */
    void received(long bytes) {
        received += bytes;
    }

    /** Reading was switched off (any thread): the current window is not judged. */
    void paused() {
        pausedSinceCheck = true;
    }

    /** Stops checking (event loop): the body is in, or the request is over. */
    void stop() {
        if (checks != null) {
            checks.cancel(false);
            checks = null;
        }
    }

    private void check() {
        if (!stillOwed.getAsBoolean() || !ctx.channel().isActive()) {
            stop();
            return;
        }
        long inWindow = received - receivedAtCheck;
        receivedAtCheck = received;
        boolean judged = !pausedSinceCheck && ctx.channel().config().isAutoRead();
        pausedSinceCheck = false;
        long least = minimum.bytesPerSecond() * minimum.window().toMillis() / 1000;
        if (judged && inWindow < least) {
            log.info("Closing connection from {}: request body arrives at {} bytes in {} (minimum {} bytes/s)",
                    ctx.channel().remoteAddress(), inWindow, minimum.window(), minimum.bytesPerSecond());
            stop();
            ctx.close();
        }
    }
}
