package io.lading.core.digest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * Bouncy Castle's SHA-256 as a {@link MessageDigest} whose state can be saved and resumed: the
 * implementation {@link ResumableSha256} falls back to where the JDK does not open its own. It converts
 * between {@link Sha256State} and Bouncy Castle's encoded state: the partial word in {@code xBuf}
 * (bytes 0-3) and its fill {@code xBufOff} (4-7), the byte count (8-15), H1..H8 (16-47), the count of
 * buffered words {@code xOff} (48-51), the words themselves (from 52), then the digest's purpose (one byte).
 */
final class BouncyCastleSha256 extends MessageDigest implements Cloneable {

    private static final int WORDS_AT = 52;

    private SHA256Digest digest;

    BouncyCastleSha256() {
        this(new SHA256Digest());
    }

    private BouncyCastleSha256(SHA256Digest digest) {
        super("SHA-256");
        this.digest = digest;
    }

    /** Resumes from a saved state. */
    static BouncyCastleSha256 resume(Sha256State saved) {
        byte[] purpose = new SHA256Digest().getEncodedState();
        byte[] tail = saved.tail();
        int words = tail.length / 4;
        int partial = tail.length % 4;
        ByteBuffer encoded = ByteBuffer.allocate(WORDS_AT + words * 4 + 1);
        encoded.put(tail, words * 4, partial).position(4);
        encoded.putInt(partial).putLong(saved.length());
        for (int h : saved.hash()) {
            encoded.putInt(h);
        }
        encoded.putInt(words).put(tail, 0, words * 4).put(purpose[purpose.length - 1]);
        return new BouncyCastleSha256(new SHA256Digest(encoded.array()));
    }

    /** The current state. */
    Sha256State save() {
        ByteBuffer encoded = ByteBuffer.wrap(digest.getEncodedState());
        byte[] partialWord = new byte[4];
        encoded.get(partialWord);
        int partial = encoded.getInt();
        long length = encoded.getLong();
        int[] hash = new int[8];
        for (int i = 0; i < 8; i++) {
            hash[i] = encoded.getInt();
        }
        int words = encoded.getInt();
        byte[] tail = new byte[words * 4 + partial];
        encoded.get(tail, 0, words * 4);
        System.arraycopy(partialWord, 0, tail, words * 4, partial);
        return new Sha256State(length, hash, tail);
    }

    /** Bouncy Castle's own encoding of the state (for tests of the conversion). */
    byte[] encodedState() {
        return digest.getEncodedState();
    }

    @Override
    protected void engineUpdate(byte input) {
        digest.update(input);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        digest.update(input, offset, len);
    }

    @Override
    protected byte[] engineDigest() {
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    @Override
    protected int engineGetDigestLength() {
        return digest.getDigestSize();
    }

    @Override
    protected void engineReset() {
        digest.reset();
    }

    @Override
    public Object clone() {
        return new BouncyCastleSha256(new SHA256Digest(digest));
    }
}
