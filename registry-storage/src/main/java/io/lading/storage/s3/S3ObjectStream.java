package io.lading.storage.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * The body of a ranged {@code GetObject}, of a known length. Closing it before the end aborts the
 * connection instead of reading the rest of the range to reuse it (a client that went away mid-blob
 * must not make Lading download the remainder).
 */
final class S3ObjectStream extends FilterInputStream {

    private final ResponseInputStream<?> response;
    private long remaining;

    S3ObjectStream(ResponseInputStream<?> response, long length) {
        super(response);
        this.response = response;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            remaining--;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            remaining -= n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        if (remaining > 0) {
            response.abort();
        }
        super.close();
    }
}
