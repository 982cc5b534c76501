package io.lading.http.server;

import io.lading.core.spi.BlobContent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InputStream;

/**
 * Sends the body of a {@link BlobContent.Stream} (a blob proxied from S3) from a virtual thread: its reads
 * wait on the network, which the event loop must never do. At most {@value #IN_FLIGHT} chunks of
 * {@value #CHUNK} bytes are written and not yet sent: the pump waits for the oldest before reading on, so a
 * download holds bounded memory and a slow client slows the reads (backpressure). Closes the content when
 * done, failed, or when the client went away.
 */
final class StreamPump {

    static final int CHUNK = 256 * 1024;
    static final int IN_FLIGHT = 2;

    private StreamPump() {
    }

    /**
     * Starts sending {@code content} after the response head already written; the returned future
     * completes once the last byte was written, or fails (the stream broke, or the connection did).
     */
    static ChannelFuture start(ChannelHandlerContext ctx, BlobContent.Stream content) {
        ChannelPromise done = ctx.newPromise();
        Thread.ofVirtual().name("blob-stream-" + ctx.channel().id().asShortText())
                .start(() -> pump(ctx, content, done));
        return done;
    }

    private static void pump(ChannelHandlerContext ctx, BlobContent.Stream content, ChannelPromise done) {
        ChannelFuture[] writes = new ChannelFuture[IN_FLIGHT];
        try (content) {
            InputStream in = content.stream();
            long remaining = content.length();
            for (int i = 0; remaining > 0; i = (i + 1) % IN_FLIGHT) {
                if (writes[i] != null && !writes[i].await().isSuccess()) {
                    done.tryFailure(writes[i].cause());
                    return;
                }
                ByteBuf chunk = ctx.alloc().buffer((int) Math.min(CHUNK, remaining));
                try {
                    fill(chunk, in);
                } catch (IOException | RuntimeException e) {
                    chunk.release();
                    throw e;
                }
                remaining -= chunk.readableBytes();
                writes[i] = ctx.writeAndFlush(new DefaultHttpContent(chunk));
            }
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
                if (f.isSuccess()) {
                    done.trySuccess();
                } else {
                    done.tryFailure(f.cause());
                }
            });
        } catch (IOException | RuntimeException e) {
            done.tryFailure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.tryFailure(e);
        }
    }

    /** Reads until {@code chunk} is full; the stream ending first is an error (it has a declared length). */
    private static void fill(ByteBuf chunk, InputStream in) throws IOException {
        while (chunk.isWritable()) {
            if (chunk.writeBytes(in, chunk.writableBytes()) < 0) {
                throw new IOException("the blob stream ended " + chunk.writableBytes() + " bytes early");
            }
        }
    }
}
