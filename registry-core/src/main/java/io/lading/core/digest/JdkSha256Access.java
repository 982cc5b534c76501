package io.lading.core.digest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/**
 * Reads and writes the state of the JDK's own SHA-256 ({@code sun.security.provider.SHA2}, whose
 * compression the JIT replaces with the CPU's SHA instructions: about six times Bouncy Castle's pure-Java
 * rate here, bench/README.md). The JDK offers no API for it, so this reaches the fields
 * ({@code SHA2.state}, {@code DigestBase.buffer}, {@code bufOfs}, {@code bytesProcessed}) through the
 * packages that {@code --add-opens java.base/java.security} and {@code java.base/sun.security.provider}
 * open (the shipped jar's manifest opens them). {@link #probe} checks all of it, with a round trip that
 * must reproduce a straight digest, before anything relies on it; where any of it fails there is no
 * access, and {@link ResumableSha256} uses Bouncy Castle.
 */
final class JdkSha256Access {

    private static final String PROVIDER = "SUN";

    private final Class<?> delegate;
    private final VarHandle spi;
    private final Class<?> spiClass;
    private final VarHandle state;
    private final VarHandle buffer;
    private final VarHandle bufOfs;
    private final VarHandle bytesProcessed;

    private JdkSha256Access(Class<?> delegate, VarHandle spi, Class<?> spiClass, VarHandle state, VarHandle buffer, VarHandle bufOfs,
            VarHandle bytesProcessed) {
        this.delegate = delegate;
        this.spi = spi;
        this.spiClass = spiClass;
        this.state = state;
        this.buffer = buffer;
        this.bufOfs = bufOfs;
        this.bytesProcessed = bytesProcessed;
    }

    /** Access to the JDK's SHA-256 state, or empty where the JDK does not open it (or is built otherwise). */
    static Optional<JdkSha256Access> probe() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256", PROVIDER);
            Class<?> delegate = declaring(md.getClass(), "digestSpi");
            VarHandle spi = MethodHandles.privateLookupIn(delegate, MethodHandles.lookup())
                    .findVarHandle(delegate, "digestSpi", MessageDigestSpi.class);
            Class<?> spiClass = spi.get(md).getClass();
            Class<?> sha2 = declaring(spiClass, "state");
            Class<?> base = declaring(spiClass, "bytesProcessed");
            MethodHandles.Lookup sha2Lookup = MethodHandles.privateLookupIn(sha2, MethodHandles.lookup());
            MethodHandles.Lookup baseLookup = MethodHandles.privateLookupIn(base, MethodHandles.lookup());
            JdkSha256Access access = new JdkSha256Access(delegate, spi, spiClass,
                    sha2Lookup.findVarHandle(sha2, "state", int[].class),
                    baseLookup.findVarHandle(base, "buffer", byte[].class),
                    baseLookup.findVarHandle(base, "bufOfs", int.class),
                    baseLookup.findVarHandle(base, "bytesProcessed", long.class));
            return access.roundTripsCorrectly() ? Optional.of(access) : Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException | java.security.GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static Class<?> declaring(Class<?> from, String field) throws NoSuchFieldException {
        for (Class<?> c = from; c != null; c = c.getSuperclass()) {
            for (var f : c.getDeclaredFields()) {
                if (f.getName().equals(field)) {
                    return c;
                }
            }
        }
        throw new NoSuchFieldException(from.getName() + "." + field);
    }

    /** Saves after odd lengths, resumes in a new digest and finishes: it must equal the straight hash. */
    private boolean roundTripsCorrectly() throws java.security.GeneralSecurityException {
        byte[] data = new byte[1000];
        new Random(42).nextBytes(data);
        byte[] expected = MessageDigest.getInstance("SHA-256", PROVIDER).digest(data);
        for (int cut : new int[] {0, 1, 63, 64, 65, 517}) {
            MessageDigest first = newDigest();
            first.update(data, 0, cut);
            MessageDigest second = resume(save(first));
            second.update(data, cut, data.length - cut);
            if (!Arrays.equals(expected, second.digest())) {
                return false;
            }
        }
        return true;
    }

    /** A fresh JDK SHA-256 whose state this can read. */
    MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256", PROVIDER);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's SHA-256 vanished", e);
        }
    }

    /** Whether {@code md} is a JDK SHA-256 whose state this reads. */
    boolean reads(MessageDigest md) {
        return delegate.isInstance(md) && spiClass.isInstance(spi.get(md));
    }

    Sha256State save(MessageDigest md) {
        Object s = spi.get(md);
        long length = (long) bytesProcessed.get(s);
        int filled = (int) bufOfs.get(s);
        if (filled != (int) (length % 64)) {
            throw new IllegalStateException("SHA-256 state: " + filled + " buffered bytes after " + length);
        }
        return new Sha256State(length, ((int[]) state.get(s)).clone(), Arrays.copyOf((byte[]) buffer.get(s), filled));
    }

    MessageDigest resume(Sha256State saved) {
        MessageDigest md = newDigest();
        Object s = spi.get(md);
        System.arraycopy(saved.hash(), 0, (int[]) state.get(s), 0, 8);
        byte[] tail = saved.tail();
        System.arraycopy(tail, 0, (byte[]) buffer.get(s), 0, tail.length);
        bufOfs.set(s, tail.length);
        bytesProcessed.set(s, saved.length());
        return md;
    }
}
