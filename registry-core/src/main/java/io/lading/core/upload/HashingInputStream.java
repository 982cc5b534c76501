package io.lading.core.upload;

import io.lading.core.error.RegistryException.UploadInvalid;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes and counts bytes as the store reads them, so a blob is hashed in the same pass that writes it.
 * Fails the read once more than {@code limit} bytes in total would have been received.
 */
final class HashingInputStream extends FilterInputStream {

    private final MessageDigest digest;
    private final long limit;
    private long count;

    HashingInputStream(InputStream in, MessageDigest digest, long alreadyReceived, long limit) {
        super(in);
        this.digest = digest;
        this.count = alreadyReceived;
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            account(1);
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            account(n);
            digest.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) {
        return 0; // every byte must be hashed
    }

    private void account(int n) {
        count += n;
        if (count > limit) {
            throw new UploadInvalid("blob exceeds the maximum layer size of " + limit + " bytes");
        }
    }
}
