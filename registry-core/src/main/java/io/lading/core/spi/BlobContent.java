package io.lading.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;

/**
 * A readable range of a blob, in the form the backend serves best. The front end decides how to send
 * it: a file range goes out zero-copy, a stream is copied, a redirect sends the client elsewhere.
 * Whoever receives a {@code BlobContent} closes it exactly once.
 */
public sealed interface BlobContent extends AutoCloseable {

    /** Number of bytes in this range. */
    long length();

    @Override
    void close() throws IOException;

    /** A range of an open local file. The channel is owned by this object until {@link #close()}. */
    record FileRange(FileChannel channel, long offset, long length) implements BlobContent {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** A stream of exactly {@code length} bytes. */
    record Stream(InputStream stream, long length) implements BlobContent {
        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    /** A URL the client may fetch the bytes from directly (for example a pre-signed S3 URL). */
    record Redirect(URI location, long length) implements BlobContent {
        @Override
        public void close() {
        }
    }
}
