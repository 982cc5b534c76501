package io.lading.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exactly {@code length} bytes of a file from {@code offset}, read as they are sent: what a part of a
 * multipart upload streams from the upload session's file, opened afresh for each attempt.
 */
final class FileRangeStream extends InputStream {

    private final FileChannel channel;
    private long position;
    private final long end;

    private FileRangeStream(FileChannel channel, long offset, long length) {
        this.channel = channel;
        this.position = offset;
        this.end = offset + length;
    }

    /** Opens the range; the SDK's content provider signature allows no checked exception. */
    static InputStream open(Path file, long offset, long length) {
        try {
            return new FileRangeStream(FileChannel.open(file, StandardOpenOption.READ), offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (position >= end) {
            return -1;
        }
        int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
        if (n < 0) {
            throw new IOException("file ended " + (end - position) + " bytes early");
        }
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
