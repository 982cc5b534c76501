package io.lading.http.server;

import io.lading.core.spi.BlobContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one connection on its event loop: routes each request on its head, then discards, aggregates or
 * streams its body as the route's {@link BodyMode} asks. An inline-first route runs right here; one that
 * throws {@link WouldBlock}, and every other route, runs on a virtual thread. Responses are written on the
 * event loop. Reading ({@code autoRead}) pauses only while a request is served on a worker: while its
 * {@link BodyPipe} is over the high watermark, and from the whole request's arrival until its response is
 * written, with a {@code FlowControlHandler} holding pipelined requests. Not shareable: one per channel.
 */
final class RequestHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

    private final Dispatcher dispatcher;
    private final ExecutorService workers;
    private final long pipeHigh;
    private final long pipeLow;
    private final AccessLog accessLog;
    private final BodyBudget budget;
    private final java.util.concurrent.Semaphore streamSlots;
    private final HeadDeadline headDeadline;
    private final BodyRateCheck.Minimum bodyRate;

    private InFlight current;

    RequestHandler(Dispatcher dispatcher, ExecutorService workers, long pipeHigh, long pipeLow, AccessLog accessLog,
            BodyBudget budget, java.util.concurrent.Semaphore streamSlots, HeadDeadline headDeadline,
            BodyRateCheck.Minimum bodyRate) {
        this.headDeadline = headDeadline;
        this.bodyRate = bodyRate;
        this.accessLog = accessLog;
        this.budget = budget;
        this.streamSlots = streamSlots;
        this.dispatcher = dispatcher;
        this.workers = workers;
        this.pipeHigh = pipeHigh;
        this.pipeLow = pipeLow;
    }

    /** The request being served on this connection. */
    private static final class InFlight {
        final HttpRequest request;
        final String path;
        final QueryStringDecoder uri;
        final RouteMatch match;
        final boolean keepAlive;
        final boolean hasBody;
        final long startNanos = System.nanoTime();
        BodyPipe pipe;
        CompositeByteBuf aggregate;
        boolean dispatched;
        boolean responded;
        boolean discarding;
        boolean bodyDone;
        boolean paused;
        /** Bytes of the body budget reserved for this request's aggregated body, released on response. */
        long reserved;
        /** Reading is off until the body budget can reserve {@link #reserved}. */
        boolean awaitingBudget;
        /** The minimum body rate check of this request's body, or null (no body, or the check is off). */
        BodyRateCheck rate;

        InFlight(HttpRequest request, QueryStringDecoder uri, RouteMatch match) {
            this.request = request;
            this.uri = uri;
            this.path = uri.rawPath();
            this.match = match;
            this.keepAlive = HttpUtil.isKeepAlive(request);
            this.hasBody = HttpUtil.getContentLength(request, 0L) > 0 || HttpUtil.isTransferEncodingChunked(request);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                onRequest(ctx, request);
            }
            if (msg instanceof HttpContent content) {
                onContent(ctx, content);
                return; // ownership of the content passed on or released there
            }
        } finally {
            if (!(msg instanceof HttpContent)) {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    /** The peer's IP address literal, or null when the channel has no IP peer. */
    private static String sourceIp(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null) {
            String ip = a.getAddress().getHostAddress();
            int scope = ip.indexOf('%');
            return scope < 0 ? ip : ip.substring(0, scope);
        }
        return null;
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
        headDeadline.headReceived();
        if (request.decoderResult().isFailure()) {
            rejectMalformed(ctx, request, request.decoderResult().cause());
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        ApiFamily family = dispatcher.familyFor(request, uri.rawPath());
        RouteMatch match;
        try {
            match = family.route(request, uri.rawPath(), sourceIp(ctx));
        } catch (RuntimeException e) {
            match = new RouteMatch(new FailingRoute(e), java.util.Map.of(), family);
        }
        InFlight f = new InFlight(request, uri, match);
        current = f;
        Route route = match.route();
        long declared = HttpUtil.getContentLength(request, -1L);
        if (route.bodyMode() == BodyMode.AGGREGATE && declared > route.maxBodyBytes()) {
            f.discarding = true;
            respond(ctx, f, family.renderProtocolError(ApiFamily.ProtocolError.BODY_TOO_LARGE, request.method()),
                    true);
            return;
        }
        if (route instanceof FailingRoute && f.hasBody) {
            // refused on the head (bad name, no credentials): answer now and close, rather than wait for
            // a body the client may hold back until it hears 100 Continue
            f.discarding = true;
            respond(ctx, f, family.renderError(((FailingRoute) route).failure(), request.method()), true);
            return;
        }
        if (route.bodyMode() == BodyMode.STREAM && declared > route.maxStreamBytes()) {
            // refused on Content-Length alone: nothing of the body is read, and no 100 Continue asks for it
            f.discarding = true;
            respond(ctx, f, family.renderProtocolError(ApiFamily.ProtocolError.BODY_TOO_LARGE, request.method()),
                    true);
            return;
        }
        if (HttpUtil.is100ContinueExpected(request) && !(route instanceof FailingRoute)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        if (f.hasBody) {
            f.rate = BodyRateCheck.start(bodyRate, ctx, () -> current == f && !f.bodyDone);
        }
        switch (route.bodyMode()) {
            case STREAM -> {
                f.pipe = new BodyPipe(on -> setReading(ctx, f, on), pipeHigh, pipeLow, budget);
                dispatch(ctx, f, null);
            }
            case AGGREGATE -> {
                f.aggregate = ctx.alloc().compositeBuffer(1024);
                if (f.hasBody) {
                    f.reserved = declared >= 0 ? Math.min(declared, route.maxBodyBytes()) : route.maxBodyBytes();
                    reserveOrWait(ctx, f);
                }
            }
            case NONE -> {
            }
        }
    }

    /**
     * Reserves the aggregated body's bytes in the budget before reading them; when the budget is spent,
     * reading stays off until it has room (event loop).
     */
    private void reserveOrWait(ChannelHandlerContext ctx, InFlight f) {
        if (current != f || f.responded || !ctx.channel().isActive()) {
            f.reserved = 0;
            return;
        }
        if (budget.tryReserve(f.reserved)) {
            if (f.awaitingBudget) {
                f.awaitingBudget = false;
                ctx.channel().config().setAutoRead(true);
            }
            return;
        }
        if (!f.awaitingBudget) {
            f.awaitingBudget = true;
            setReading(ctx, f, false);
        }
        if (!budget.waitForRoom(() -> ctx.executor().execute(() -> reserveOrWait(ctx, f)))) {
            ctx.executor().execute(() -> reserveOrWait(ctx, f));
        }
    }

    /** Gives back the aggregated body's reservation (once). */
    private void releaseReservation(InFlight f) {
        long r = f.reserved;
        if (r > 0 && !f.awaitingBudget) {
            f.reserved = 0;
            budget.release(r);
        }
    }

    /** Switches reading from the socket on or off for {@code f}'s body (any thread). */
    private static void setReading(ChannelHandlerContext ctx, InFlight f, boolean on) {
        if (!on && f.rate != null) {
            f.rate.paused();
        }
        ctx.channel().config().setAutoRead(on);
    }

    private static void stopRateCheck(InFlight f) {
        if (f.rate != null) {
            f.rate.stop();
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        InFlight f = current;
        boolean last = content instanceof LastHttpContent;
        if (f != null && f.rate != null) {
            f.rate.received(content.content().readableBytes());
            if (last) {
                stopRateCheck(f);
            }
        }
        if (content.decoderResult().isFailure() && f != null && !f.responded) {
            content.release();
            if (f.pipe != null) {
                f.pipe.fail(new IOException("malformed request body"));
            }
            rejectMalformed(ctx, f.request, content.decoderResult().cause());
            return;
        }
        if (f == null || f.discarding) {
            content.release();
            if (f != null && last) {
                f.bodyDone = true;
                if (f.responded) {
                    headDeadline.requestDone();
                }
            }
            return;
        }
        if (f.pipe != null) {
            if (last) {
                f.bodyDone = true;
                pauseReading(ctx, f);
            }
            f.pipe.offer(content.content(), last); // the pipe owns the buffer now
            return;
        }
        if (f.aggregate != null) {
            ByteBuf buf = content.content();
            if (f.aggregate.readableBytes() + buf.readableBytes() > f.match.route().maxBodyBytes()) {
                content.release();
                f.aggregate.release();
                f.aggregate = null;
                f.discarding = true;
                respond(ctx, f, f.match.family().renderProtocolError(ApiFamily.ProtocolError.BODY_TOO_LARGE,
                        f.request.method()), true);
                return;
            }
            f.aggregate.addComponent(true, buf);
            if (last) {
                f.bodyDone = true;
                byte[] bytes = new byte[f.aggregate.readableBytes()];
                f.aggregate.readBytes(bytes);
                f.aggregate.release();
                f.aggregate = null;
                dispatch(ctx, f, bytes);
            }
            return;
        }
        content.release();
        if (last) {
            f.bodyDone = true;
            dispatch(ctx, f, null);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, InFlight f, byte[] aggregated) {
        f.dispatched = true;
        Route route = f.match.route();
        if (route.inlineFirst() && f.pipe == null) {
            // memory-only answers skip the hop to a worker thread
            try {
                Response response = route.handle(exchange(f, aggregated, true));
                respond(ctx, f, response, false);
                return;
            } catch (WouldBlock needsWorker) {
                // fall through to a worker
            } catch (Throwable t) {
                respond(ctx, f, f.match.family().renderError(t, f.request.method()), false);
                return;
            }
        }
        Exchange exchange = exchange(f, aggregated, false);
        if (f.pipe == null) {
            // the whole request is in: read nothing more until its response is written. Inline answers
            // skip this, because they are written before the next read can arrive.
            pauseReading(ctx, f);
        }
        boolean slotNow = f.pipe == null || streamSlots.tryAcquire();
        if (!slotNow) {
            // every streaming slot is taken: read none of this body until one is free, so waiting bodies
            // hold no memory and cannot starve the ones being written
            f.pipe.hold();
        }
        workers.execute(() -> {
            Response response;
            boolean slot = f.pipe != null;
            try {
                if (!slotNow) {
                    streamSlots.acquireUninterruptibly();
                    f.pipe.start();
                }
                response = f.match.route().handle(exchange);
            } catch (Throwable t) {
                response = f.match.family().renderError(t, f.request.method());
            } finally {
                if (slot) {
                    streamSlots.release();
                }
            }
            boolean bodyUnread = f.pipe != null && f.hasBody && !f.pipe.isComplete();
            if (f.pipe != null) {
                f.pipe.close();
            }
            Response r = response;
            ctx.executor().execute(() -> respond(ctx, f, r, bodyUnread));
        });
    }

    private static Exchange exchange(InFlight f, byte[] aggregated, boolean inline) {
        return new Exchange(f.request.method(), f.path, f.uri.parameters(), f.request.headers(),
                f.match.params(), f.pipe, aggregated, f.hasBody, f.uri.rawQuery(), inline);
    }

    /** Writes the response; then either closes the connection or reads the next request. */
    private void respond(ChannelHandlerContext ctx, InFlight f, Response response, boolean forceClose) {
        if (f.responded) {
            if (response instanceof Response.Blob blob) {
                ResponseWriter.closeQuietly(blob.content());
            }
            return;
        }
        f.responded = true;
        releaseReservation(f);
        f.match.family().addCommonHeaders(response.headers());
        boolean close = forceClose || !f.keepAlive || !ctx.channel().isActive();
        if (!close && f.request.protocolVersion().equals(io.netty.handler.codec.http.HttpVersion.HTTP_1_0)) {
            response.headers().set(HttpHeaderNames.CONNECTION, io.netty.handler.codec.http.HttpHeaderValues.KEEP_ALIVE);
        }
        long start = f.startNanos;
        ResponseWriter.write(ctx, response, !close).addListener((ChannelFutureListener) future -> {
            logAccess(f, response, start, future.isSuccess());
            if (close || !future.isSuccess()) {
                ctx.close();
            } else {
                if (current == f) {
                    if (f.bodyDone) {
                        current = null;
                        headDeadline.requestDone();
                    } else {
                        // the route answered before the body ended: discard the rest, then read on
                        f.discarding = true;
                    }
                }
                if (f.paused) {
                    ctx.channel().config().setAutoRead(true);
                }
            }
        });
    }

    private static void pauseReading(ChannelHandlerContext ctx, InFlight f) {
        f.paused = true;
        setReading(ctx, f, false);
    }

    private void rejectMalformed(ChannelHandlerContext ctx, HttpRequest request, Throwable cause) {
        ApiFamily.ProtocolError kind;
        if (cause instanceof TooLongHttpLineException) {
            kind = ApiFamily.ProtocolError.REQUEST_LINE_TOO_LONG;
        } else if (cause instanceof TooLongHttpHeaderException) {
            kind = ApiFamily.ProtocolError.HEADERS_TOO_LARGE;
        } else if (cause instanceof TooLongFrameException) {
            kind = ApiFamily.ProtocolError.HEADERS_TOO_LARGE;
        } else {
            kind = ApiFamily.ProtocolError.MALFORMED_REQUEST;
        }
        ApiFamily family = dispatcher.familyFor(request, new QueryStringDecoder(request.uri()).rawPath());
        InFlight f = current != null && current.request == request ? current
                : new InFlight(request, new QueryStringDecoder("/"), new RouteMatch(null, java.util.Map.of(), family));
        f.discarding = true;
        current = f;
        Response response = family.renderProtocolError(kind, request.method() == null ? HttpMethod.GET : request.method());
        f.match.family().addCommonHeaders(response.headers());
        f.responded = true;
        ResponseWriter.write(ctx, response, false).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        InFlight f = current;
        if (f != null) {
            stopRateCheck(f);
            if (f.pipe != null) {
                f.pipe.fail(new IOException("client closed the connection before the body ended"));
            }
            if (f.aggregate != null) {
                f.aggregate.release();
                f.aggregate = null;
            }
            releaseReservation(f);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idleMeansGone(ctx, current, idle.isFirst())) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * Whether a connection that saw no traffic for the idle timeout is abandoned by its client: it is
     * between requests; or its response is being written but the client read none of it for a whole
     * further timeout (the idle handler observes output progress, and its first event after activity
     * comes whatever the progress, so that one is let pass: a slow download is never idle); or the
     * client owes body bytes, reading is on, and none came. A request in flight that waits on the server
     * (a worker at work, reading held off by backpressure or a wait for an upload slot) is never cut.
     */
    static boolean idleMeansGone(ChannelHandlerContext ctx, Object inFlight, boolean firstIdleEvent) {
        if (!(inFlight instanceof InFlight f)) {
            return true;
        }
        if (f.responded) {
            return !firstIdleEvent;
        }
        return !f.bodyDone && f.hasBody && !f.discarding && ctx.channel().config().isAutoRead();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            log.warn("Connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    private void logAccess(InFlight f, Response response, long startNanos, boolean sent) {
        if (accessLog != null) {
            String bytes = sent ? Long.toString(bodyBytes(response)) : "-";
            accessLog.record(accessLog.nextId(), f.request.method().name(), f.path, response.status(), bytes,
                    (System.nanoTime() - startNanos) / 1000);
        }
    }

    /**
     * The body bytes a response sends, as the access log reports them: a blob's bytes (its range), none
     * for a HEAD or a redirect.
     */
    static long bodyBytes(Response response) {
        return switch (response) {
            case Response.Full full -> full.body().length;
            case Response.Blob blob -> blob.headOnly() || blob.content() instanceof BlobContent.Redirect
                    ? 0 : blob.content().length();
        };
    }
}
