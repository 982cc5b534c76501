package io.lading.http.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** The pipeline of every connection: request-head deadline, codec with limits, idle timeout, chunked writes, flow control, router. */
final class RegistryInitializer extends ChannelInitializer<SocketChannel> {

    private final Dispatcher dispatcher;
    private final ExecutorService workers;
    private final ServerSettings settings;
    private final AccessLog accessLog;
    private final BodyBudget budget;
    private final java.util.concurrent.Semaphore uploadSlots;

    RegistryInitializer(Dispatcher dispatcher, ExecutorService workers, ServerSettings settings, AccessLog accessLog) {
        this.accessLog = accessLog;
        this.dispatcher = dispatcher;
        this.workers = workers;
        this.settings = settings;
        this.budget = new BodyBudget(settings.bodyMemoryBytes());
        this.uploadSlots = new java.util.concurrent.Semaphore(settings.concurrentUploads(), true);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        HeadDeadline headDeadline = new HeadDeadline(settings.headerTimeout());
        ch.pipeline()
                .addLast("head-deadline", headDeadline)
                .addLast("codec", new HttpServerCodec(settings.maxInitialLineLength(), settings.maxHeaderSize(),
                        256 * 1024))
                .addLast("idle", new IdleStateHandler(true, 0, 0, settings.idleTimeout().toSeconds(), TimeUnit.SECONDS))
                .addLast("chunked", new ChunkedWriteHandler())
                .addLast("flow", new FlowControlHandler())
                .addLast("router", new RequestHandler(dispatcher, workers, settings.bodyBufferBytes(),
                        settings.bodyBufferBytes() / 4, accessLog, budget, uploadSlots, headDeadline,
                        new BodyRateCheck.Minimum(settings.minBodyBytesPerSecond(), settings.bodyRateWindow())));
    }
}
