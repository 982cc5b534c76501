package io.lading.http.server;

import io.lading.core.spi.BlobContent;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;

/**
 * Writes a {@link Response} on the event loop. Blob ranges of local files go out as a
 * {@link DefaultFileRegion} (sendfile, zero-copy) unless TLS is in the pipeline; streams (blobs proxied
 * from S3) go out in chunks read on a virtual thread ({@link StreamPump}); redirects as {@code 307}.
 */
final class ResponseWriter {

    private ResponseWriter() {
    }

    /** Writes the response; the returned future completes when the last byte was written. */
    static ChannelFuture write(ChannelHandlerContext ctx, Response response, boolean keepAlive) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(response.status());
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return switch (response) {
            case Response.Full full -> {
                HttpHeaders headers = full.headers();
                if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, full.body().length);
                }
                // the route's headers become the message's: no copy per response
                var msg = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                        full.body().length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(full.body()),
                        headers, EmptyHttpHeaders.INSTANCE);
                yield ctx.writeAndFlush(msg);
            }
            case Response.Blob blob -> writeBlob(ctx, blob, status);
        };
    }

    private static ChannelFuture writeBlob(ChannelHandlerContext ctx, Response.Blob blob, HttpResponseStatus status) {
        BlobContent content = blob.content();
        if (content instanceof BlobContent.Redirect redirect) {
            var msg = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.TEMPORARY_REDIRECT);
            msg.headers().set(blob.headers());
            msg.headers().set(HttpHeaderNames.LOCATION, redirect.location().toString());
            msg.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            return ctx.writeAndFlush(msg);
        }
        var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        head.headers().set(blob.headers());
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.length());
        if (blob.headOnly()) {
            closeQuietly(content);
            ctx.write(head);
            return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        ctx.write(head);
        boolean tls = ctx.pipeline().get(SslHandler.class) != null;
        switch (content) {
            case BlobContent.FileRange file when !tls -> {
                // DefaultFileRegion closes the channel when it is released after the transfer
                ctx.write(new DefaultFileRegion(file.channel(), file.offset(), file.length()));
                return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            case BlobContent.FileRange file -> {
                try {
                    return ctx.writeAndFlush(new HttpChunkedInput(
                            new ChunkedNioFile(file.channel(), file.offset(), file.length(), 256 * 1024)));
                } catch (IOException e) {
                    closeQuietly(content);
                    return ctx.close();
                }
            }
            case BlobContent.Stream stream -> {
                return StreamPump.start(ctx, stream); // its reads block: off the event loop
            }
            case BlobContent.Redirect r -> throw new IllegalStateException("handled above");
        }
    }

    static void closeQuietly(BlobContent content) {
        try {
            content.close();
        } catch (IOException ignored) {
            // nothing was lost: the content was only being read
        }
    }
}
