package io.lading.core.digest;

import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * SHA-256 digests whose state can be saved after any byte and resumed later, in this process or
 * another: an upload's hash is saved with each chunk, so the next chunk (on any node) continues it and
 * nothing is read back to re-hash. The digests are plain {@link MessageDigest}s (cloneable), so callers
 * hash as they would with {@code MessageDigest.getInstance("SHA-256")}.
 *
 * <p>Where the JDK's own SHA-256 is open to this code ({@link JdkSha256Access}: the shipped jar's
 * manifest opens it, as the tests' JVM flags do) the digests are the JDK's, at the JDK's speed;
 * elsewhere they are Bouncy Castle's ({@link BouncyCastleSha256}), correct but about six times slower.
 * Either resumes the other's saved states ({@link Sha256State}'s encoding is theirs in common).
 */
public final class ResumableSha256 {

    /**
     * The JVM options that open the JDK's SHA-256 state to code on the class path (the jar's manifest has
     * the same as {@code Add-Opens}, which only {@code java -jar} reads).
     */
    public static final List<String> JVM_OPENS = List.of("--add-opens", "java.base/java.security=ALL-UNNAMED",
            "--add-opens", "java.base/sun.security.provider=ALL-UNNAMED");

    private static final Optional<JdkSha256Access> JDK = JdkSha256Access.probe();

    private ResumableSha256() {
    }

    /** Whether digests are the JDK's (fast) rather than Bouncy Castle's. */
    public static boolean usesJdkDigest() {
        return JDK.isPresent();
    }

    /** A fresh SHA-256 whose state {@link #save} can read. */
    public static MessageDigest newDigest() {
        return JDK.isPresent() ? JDK.get().newDigest() : new BouncyCastleSha256();
    }

    /**
     * The state of {@code md}, encoded ({@link Sha256State#encode}).
     *
     * @throws IllegalArgumentException if {@code md} did not come from this class
     */
    public static byte[] save(MessageDigest md) {
        return state(md).encode();
    }

    /** The state of {@code md}. @throws IllegalArgumentException if {@code md} did not come from this class */
    public static Sha256State state(MessageDigest md) {
        if (md instanceof BouncyCastleSha256 bc) {
            return bc.save();
        }
        if (JDK.isPresent() && JDK.get().reads(md)) {
            return JDK.get().save(md);
        }
        throw new IllegalArgumentException("not a resumable SHA-256: " + md);
    }

    /**
     * A digest that continues from a saved state.
     *
     * @throws IllegalArgumentException if {@code saved} is not an encoded state
     */
    public static MessageDigest resume(byte[] saved) {
        return resume(Sha256State.decode(saved));
    }

    /** A digest that continues from {@code saved}, of the kind {@link #newDigest} makes. */
    public static MessageDigest resume(Sha256State saved) {
        return JDK.isPresent() ? JDK.get().resume(saved) : BouncyCastleSha256.resume(saved);
    }

    /** A Bouncy Castle digest that continues from {@code saved} (for tests of the fallback). */
    static MessageDigest resumeWithBouncyCastle(Sha256State saved) {
        return BouncyCastleSha256.resume(saved);
    }

    /** A fresh Bouncy Castle digest (for tests of the fallback). */
    static MessageDigest newBouncyCastleDigest() {
        return new BouncyCastleSha256();
    }
}
