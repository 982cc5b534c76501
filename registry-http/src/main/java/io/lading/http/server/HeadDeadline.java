package io.lading.http.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The request-head deadline ({@code server.headerTimeout}): a new connection must deliver a complete
 * request head within the timeout of being accepted, and a kept-alive connection within the timeout of
 * the first byte of its next request. A client that sends its head a byte at a time (slowloris) is
 * answered {@code 408} and disconnected; the idle timeout alone would let it hold the connection for
 * minutes. Sits before the HTTP codec and sees raw bytes; {@link RequestHandler} tells it when a head
 * has arrived and when its request is over. Event loop only; one per channel.
 *
 * <p>Known gap: bytes of a pipelined next request that arrived while the previous one was served do
 * not start the deadline; such a connection that then stalls is closed by the idle timeout.
 */
final class HeadDeadline extends ChannelDuplexHandler {

    private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private boolean awaitingHead = true;
    /** When the head now owed started (accept, or the first byte of the request); 0 when none is owed. */
    private long headStartedAt;
    /**
     * One check per connection every quarter of the timeout, rather than a timer armed and cancelled per
     * request, which would cost every request on the hot path a scheduling round trip. A slow head is
     * answered within 1.25 timeouts of its start.
     */
    private ScheduledFuture<?> checks;

    HeadDeadline(java.time.Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        headStartedAt = System.nanoTime();
        long every = Math.max(1, timeoutNanos / 4);
        checks = ctx.executor().scheduleAtFixedRate(this::check, every, every, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaitingHead && headStartedAt == 0) {
            headStartedAt = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
    }

    /** A complete request head has arrived: no deadline until its request is over. */
    void headReceived() {
        awaitingHead = false;
        headStartedAt = 0;
    }

    /** The request is answered and its body consumed: the next request's first byte starts the deadline. */
    void requestDone() {
        awaitingHead = true;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (checks != null) {
            checks.cancel(false);
            checks = null;
        }
        ctx.fireChannelInactive();
    }

    private void check() {
        if (awaitingHead && headStartedAt != 0 && System.nanoTime() - headStartedAt >= timeoutNanos
                && ctx.channel().isActive()) {
            // nothing is being written: a head is owed, so no response of this connection is in flight
            checks.cancel(false);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
