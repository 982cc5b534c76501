package io.lading.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.lading.core.digest.Digest;
import io.lading.core.digest.DigestAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Random;

/** Helpers shared by the storage contract suites. */
final class ContractSupport {

    /** A whole-millisecond instant, so backends that store epoch millis compare equal. */
    static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_123L);

    private ContractSupport() {
    }

    static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Digest sha256(byte[] bytes) {
        return DigestAlgorithm.SHA256.digest(bytes);
    }

    static InputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    /** Creates a blob holding {@code bytes} through an upload session. */
    static Digest putBlob(UploadStore uploads, byte[] bytes) {
        UploadState s = uploads.create("contract/repo", T0);
        uploads.append(s.id(), 0, stream(bytes));
        Digest d = sha256(bytes);
        uploads.commit(s.id(), d);
        return d;
    }

    /**
     * Reads exactly the content's bytes, whatever its variant, into {@code sink}, and closes it.
     * {@code offset} is the offset the content was opened at (a redirect does not carry it).
     */
    static void drain(BlobContent content, long offset, Sink sink) throws IOException {
        try (content) {
            switch (content) {
                case BlobContent.FileRange r -> {
                    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                    long done = 0;
                    while (done < r.length()) {
                        buf.clear();
                        buf.limit((int) Math.min(buf.capacity(), r.length() - done));
                        int n = r.channel().read(buf, r.offset() + done);
                        if (n < 0) {
                            fail("file ended after " + done + " of " + r.length() + " bytes");
                        }
                        sink.accept(buf.array(), 0, n);
                        done += n;
                    }
                }
                case BlobContent.Stream s -> copyExactly(s.stream(), s.length(), sink);
                case BlobContent.Redirect r -> {
                    HttpURLConnection c = (HttpURLConnection) r.location().toURL().openConnection();
                    c.setRequestProperty("Range", "bytes=" + offset + "-" + (offset + r.length() - 1));
                    try (InputStream in = c.getInputStream()) {
                        copyExactly(in, r.length(), sink);
                    } finally {
                        c.disconnect();
                    }
                }
            }
        }
    }

    static byte[] readContent(BlobContent content, long offset) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        drain(content, offset, out::write);
        return out.toByteArray();
    }

    static String sha256Hex(BlobContent content, long offset) throws IOException {
        MessageDigest md = DigestAlgorithm.SHA256.newMessageDigest();
        drain(content, offset, md::update);
        return DigestAlgorithm.SHA256.of(md.digest()).hex();
    }

    private static void copyExactly(InputStream in, long length, Sink sink) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long done = 0;
        while (done < length) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, length - done));
            if (n < 0) {
                fail("stream ended after " + done + " of " + length + " bytes");
            }
            sink.accept(buf, 0, n);
            done += n;
        }
        assertEquals(-1, in.read(), "stream holds more than its declared length");
    }

    /** Receives bytes. */
    interface Sink {
        void accept(byte[] b, int off, int len) throws IOException;
    }

    /**
     * An input stream of {@code length} seeded pseudo-random bytes, generated in fixed blocks as it is
     * read, so the bytes do not depend on how the reader chunks its reads.
     */
    static final class RandomStream extends InputStream {
        private final Random random;
        private final byte[] block = new byte[8192];
        private int blockPos = block.length;
        private long remaining;

        RandomStream(long seed, long length) {
            this.random = new Random(seed);
            this.remaining = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            if (blockPos == block.length) {
                random.nextBytes(block);
                blockPos = 0;
            }
            int n = (int) Math.min(Math.min(len, remaining), block.length - blockPos);
            System.arraycopy(block, blockPos, b, off, n);
            blockPos += n;
            remaining -= n;
            return n;
        }
    }

    /** An input stream that yields {@code prefix} and then fails. */
    static final class FailingStream extends InputStream {
        static final String MESSAGE = "client went away";
        private final InputStream prefix;

        FailingStream(byte[] prefix) {
            this.prefix = new ByteArrayInputStream(prefix);
        }

        @Override
        public int read() throws IOException {
            int b = prefix.read();
            if (b < 0) {
                throw new IOException(MESSAGE);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = prefix.read(b, off, len);
            if (n < 0) {
                throw new IOException(MESSAGE);
            }
            return n;
        }
    }
}
