package io.lading.core.digest;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The state of a SHA-256 computation between two bytes: how many bytes it has taken, its eight working
 * hash words, and the bytes of the block it has not compressed yet. Any implementation can resume from
 * it, so a node that takes over an upload continues the hash where another node left it.
 *
 * <p>Encoded (version 1) as: the byte {@code 1}, the length (8 bytes, big-endian), the eight hash words
 * (4 bytes each, big-endian), then the {@code length % 64} bytes of the unfinished block: 41 to 104 bytes.
 *
 * @param length bytes hashed so far
 * @param hash the eight working hash words H0..H7
 * @param tail the last {@code length % 64} bytes, not compressed yet
 */
public record Sha256State(long length, int[] hash, byte[] tail) {

    private static final byte VERSION = 1;
    private static final int HEADER = 1 + 8 + 32;

    public Sha256State {
        if (length < 0 || hash.length != 8 || tail.length != (int) (length % 64)) {
            throw new IllegalArgumentException("not a SHA-256 state: length " + length + ", " + hash.length
                    + " hash words, " + tail.length + " unfinished bytes");
        }
        hash = hash.clone();
        tail = tail.clone();
    }

    @Override
    public int[] hash() {
        return hash.clone();
    }

    @Override
    public byte[] tail() {
        return tail.clone();
    }

    /** The encoded form described above. */
    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(HEADER + tail.length);
        out.put(VERSION).putLong(length);
        for (int h : hash) {
            out.putInt(h);
        }
        return out.put(tail).array();
    }

    /**
     * Reads an encoded state.
     *
     * @throws IllegalArgumentException if {@code encoded} is not one (wrong version, length or size)
     */
    public static Sha256State decode(byte[] encoded) {
        if (encoded == null || encoded.length < HEADER || encoded[0] != VERSION) {
            throw new IllegalArgumentException("not an encoded SHA-256 state");
        }
        ByteBuffer in = ByteBuffer.wrap(encoded);
        in.get();
        long length = in.getLong();
        int[] hash = new int[8];
        for (int i = 0; i < 8; i++) {
            hash[i] = in.getInt();
        }
        byte[] tail = new byte[in.remaining()];
        in.get(tail);
        return new Sha256State(length, hash, tail);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sha256State s && s.length == length && Arrays.equals(s.hash, hash)
                && Arrays.equals(s.tail, tail);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(length) * 31 + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "Sha256State[length=" + length + "]";
    }
}
