package io.lading.http.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server: Netty event loops (epoll where available) for I/O, virtual threads for route work.
 * Start with {@link #start()}, stop with {@link #close()}.
 */
public final class RegistryServer implements AutoCloseable {

    private final Dispatcher dispatcher;
    private final ServerSettings settings;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("request-", 0).factory());
    private final AccessLog accessLog = AccessLog.createIfEnabled();
    private EventLoopGroup group;
    private Channel channel;

    public RegistryServer(Dispatcher dispatcher, ServerSettings settings) {
        this.dispatcher = dispatcher;
        this.settings = settings;
    }

    /** Binds and starts serving; returns the bound port. */
    public int start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(0, io);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // large socket reads for blob uploads (adapts down for small requests)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(2048, 16384, 262144))
                .childHandler(new RegistryInitializer(dispatcher, workers, settings, accessLog));
        channel = bootstrap.bind(settings.host(), settings.port()).sync().channel();
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (group != null) {
            // bounded: a termination future that never completes must not hang the shutdown hook
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        workers.shutdownNow();
        if (accessLog != null) {
            accessLog.close();
        }
    }
}
