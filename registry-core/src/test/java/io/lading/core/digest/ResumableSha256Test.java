package io.lading.core.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.Test;

class ResumableSha256Test {

    private static final byte[] DATA = new byte[5000];

    static {
        new Random(7).nextBytes(DATA);
    }

    private static byte[] straight(int length) {
        return DigestAlgorithm.SHA256.newMessageDigest().digest(java.util.Arrays.copyOf(DATA, length));
    }

    @Test
    void theTestJvmOpensTheJdkDigestAsTheShippedJarDoes() {
        assertTrue(ResumableSha256.usesJdkDigest(),
                "surefire's argLine opens java.base/java.security and sun.security.provider (pom.xml)");
    }

    @Test
    void savedAtAnyCutAndResumedTheHashEqualsTheStraightOne() {
        assertRoundTrips(ResumableSha256::newDigest, ResumableSha256::resume);
    }

    @Test
    void theBouncyCastleFallbackRoundTripsToo() {
        assertRoundTrips(ResumableSha256::newBouncyCastleDigest,
                saved -> ResumableSha256.resumeWithBouncyCastle(Sha256State.decode(saved)));
    }

    @Test
    void eitherImplementationResumesTheOthersState() {
        for (int cut : new int[] {0, 3, 64, 100, 4097}) {
            MessageDigest jdk = ResumableSha256.newDigest();
            jdk.update(DATA, 0, cut);
            MessageDigest bc = ResumableSha256.resumeWithBouncyCastle(ResumableSha256.state(jdk));
            bc.update(DATA, cut, 500);
            assertArrayEquals(straight(cut + 500), bc.digest(), "JDK -> BC at " + cut);

            MessageDigest bc2 = ResumableSha256.newBouncyCastleDigest();
            bc2.update(DATA, 0, cut);
            MessageDigest jdk2 = ResumableSha256.resume(ResumableSha256.save(bc2));
            jdk2.update(DATA, cut, 500);
            assertArrayEquals(straight(cut + 500), jdk2.digest(), "BC -> JDK at " + cut);
        }
    }

    @Test
    void theConversionToBouncyCastleMatchesItsOwnEncodedState() {
        for (int length : new int[] {0, 1, 2, 3, 4, 5, 63, 64, 65, 127, 130}) {
            SHA256Digest own = new SHA256Digest();
            own.update(DATA, 0, length);
            MessageDigest jdk = ResumableSha256.newDigest();
            jdk.update(DATA, 0, length);
            BouncyCastleSha256 converted = BouncyCastleSha256.resume(ResumableSha256.state(jdk));
            assertEquals(ResumableSha256.state(jdk), converted.save(), "at " + length);
            assertArrayEquals(own.getEncodedState(), converted.encodedState(), "at " + length);
        }
    }

    @Test
    void aClonedDigestIsIndependentAndStillSaves() throws Exception {
        MessageDigest md = ResumableSha256.newDigest();
        md.update(DATA, 0, 100);
        MessageDigest copy = (MessageDigest) md.clone();
        copy.update(DATA, 100, 50);
        assertEquals(100, ResumableSha256.state(md).length());
        assertEquals(150, ResumableSha256.state(copy).length());
        MessageDigest bc = ResumableSha256.newBouncyCastleDigest();
        bc.update(DATA, 0, 10);
        MessageDigest bcCopy = (MessageDigest) bc.clone();
        bcCopy.update(DATA, 10, 10);
        assertEquals(10, ResumableSha256.state(bc).length());
        assertArrayEquals(straight(20), bcCopy.digest());
    }

    @Test
    void aDigestFromElsewhereOrDamagedStatesAreRefused() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> ResumableSha256.save(MessageDigest.getInstance("SHA-512")));
        byte[] saved = ResumableSha256.save(ResumableSha256.newDigest());
        byte[] wrongVersion = saved.clone();
        wrongVersion[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> ResumableSha256.resume(wrongVersion));
        byte[] longer = java.util.Arrays.copyOf(saved, saved.length + 1); // a tail byte a length of 0 cannot have
        assertThrows(IllegalArgumentException.class, () -> ResumableSha256.resume(longer));
        assertThrows(IllegalArgumentException.class, () -> ResumableSha256.resume(new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> ResumableSha256.resume((byte[]) null));
    }

    @Test
    void theEncodingIsStableAndCarriesTheLengthAndUnfinishedBlock() {
        MessageDigest md = ResumableSha256.newDigest();
        md.update(DATA, 0, 70);
        byte[] saved = ResumableSha256.save(md);
        assertEquals(1 + 8 + 32 + 6, saved.length);
        Sha256State state = Sha256State.decode(saved);
        assertEquals(70, state.length());
        assertArrayEquals(java.util.Arrays.copyOfRange(DATA, 64, 70), state.tail());
        assertArrayEquals(saved, state.encode());
        MessageDigest other = ResumableSha256.newDigest();
        other.update(DATA, 1, 70);
        assertNotEquals(state, ResumableSha256.state(other));
    }

    private static void assertRoundTrips(Supplier<MessageDigest> fresh, Function<byte[], MessageDigest> resume) {
        Random random = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int total = random.nextInt(DATA.length + 1);
            MessageDigest md = fresh.get();
            int at = 0;
            // a chain of saves and resumes at random cuts, as chunks of an upload across nodes
            while (at < total) {
                int chunk = Math.min(total - at, 1 + random.nextInt(300));
                md.update(DATA, at, chunk);
                at += chunk;
                md = resume.apply(ResumableSha256.save(md));
            }
            assertArrayEquals(straight(total), md.digest(), "length " + total);
        }
    }
}
