package io.lading.core.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.error.RegistryException.DigestInvalid;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {

    static final String HEX64 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String HEX128 = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

    static Stream<Arguments> validDigests() {
        return Stream.of(
                Arguments.of("sha256:" + HEX64, DigestAlgorithm.SHA256, HEX64),
                Arguments.of("sha512:" + HEX128, DigestAlgorithm.SHA512, HEX128),
                Arguments.of("sha256:" + "0".repeat(64), DigestAlgorithm.SHA256, "0".repeat(64)),
                Arguments.of("sha256:" + "f".repeat(64), DigestAlgorithm.SHA256, "f".repeat(64)));
    }

    @ParameterizedTest
    @MethodSource("validDigests")
    void parsesRegisteredAlgorithmsWithLowerCaseHex(String text, DigestAlgorithm algorithm, String hex) {
        Digest d = Digest.parse(text);
        assertEquals(algorithm, d.algorithm());
        assertEquals(hex, d.hex());
        assertEquals(text, d.toString());
        assertTrue(Digest.isDigest(text));
    }

    static Stream<String> malformedDigests() {
        return Stream.of(
                "sha256:" + HEX64.toUpperCase(),                 // upper-case hex
                "sha256:" + HEX64.substring(0, 63) + "E",        // one upper-case char
                "SHA256:" + HEX64,                               // upper-case algorithm
                "sha256:" + HEX64.substring(1),                  // 63 chars
                "sha256:" + HEX64 + "0",                         // 65 chars
                "sha256:" + HEX128,                              // sha512 length under sha256
                "sha512:" + HEX64,                               // sha256 length under sha512
                "sha256:",                                       // empty encoding
                ":" + HEX64,                                     // empty algorithm
                HEX64,                                           // no algorithm
                "sha256" + HEX64,                                // no colon
                "sha256::" + HEX64,                              // double colon
                "sha256:" + HEX64 + ":",                         // trailing colon
                "md5:d41d8cd98f00b204e9800998ecf8427e",          // unknown algorithm
                "sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709", // unknown algorithm
                "sha384:" + "a".repeat(96),                      // unknown algorithm
                "sha256+b64u:" + HEX64,                          // grammar-valid, unregistered
                "sha256:../../x",                                // traversal
                "sha256:../../../../etc/passwd",
                "sha256:" + HEX64.substring(0, 60) + "/../",     // traversal in the encoding
                "../sha256:" + HEX64,                            // traversal in the algorithm
                "sha256/" + HEX64,
                "sha256:" + HEX64.substring(0, 32) + "/" + HEX64.substring(33),
                "sha256:" + HEX64.substring(0, 63) + "g",        // non-hex letter
                "sha256:" + HEX64.substring(0, 63) + "=",        // grammar-valid, not hex
                "sha256:" + HEX64.substring(0, 63) + "-",
                " sha256:" + HEX64,                              // leading space
                "sha256:" + HEX64 + " ",                         // trailing space
                "sha256:" + HEX64 + "\n",                        // trailing newline
                "sha256:" + HEX64 + "\r\n",
                "sha256 :" + HEX64,
                "sha256:\t" + HEX64.substring(1),
                "sha256:" + HEX64.substring(0, 63) + "\u0000",   // NUL
                "sha256:" + HEX64.substring(0, 63) + "\u00e9",   // é
                "sha256:" + HEX64.substring(0, 63) + "\uff10",   // full-width digit zero
                "sha256:" + HEX64.substring(0, 63) + "\u0660",   // Arabic-Indic digit zero
                "sha\u0662\u0665\u0666:" + HEX64,                // Arabic-Indic digits in the algorithm
                "sha256:" + HEX64.substring(0, 62) + "\ud83d\ude00", // emoji (surrogate pair)
                "sha256:" + "a".repeat(10_000),                  // very long
                "sha256:" + "0".repeat(257),
                "x".repeat(1_000_000),
                "sha256:%2e%2e%2fx",
                "sha256:" + HEX64.substring(0, 63) + "%");
    }

    @ParameterizedTest
    @MethodSource("malformedDigests")
    @NullAndEmptySource
    @ValueSource(strings = {" ", ":", "sha256", "\t", "\u00a0"})
    void rejectsMalformedDigest(String text) {
        assertThrows(DigestInvalid.class, () -> Digest.parse(text));
        assertFalse(Digest.isDigest(text));
    }

    @Test
    void rejectsTraversalShapedDigest() {
        DigestInvalid e = assertThrows(DigestInvalid.class, () -> Digest.parse("sha256:../../x"));
        assertTrue(e.getMessage().contains("invalid digest"), e.getMessage());
    }

    @Test
    void rejectsUnknownAlgorithmNamingIt() {
        DigestInvalid e = assertThrows(DigestInvalid.class, () -> Digest.parse("md5:d41d8cd98f00b204e9800998ecf8427e"));
        assertTrue(e.getMessage().contains("md5"), e.getMessage());
    }

    @Test
    void abbreviatesVeryLongInputInTheMessage() {
        DigestInvalid e = assertThrows(DigestInvalid.class, () -> Digest.parse("sha256:" + "z".repeat(100_000)));
        assertTrue(e.getMessage().length() < 200, "message length " + e.getMessage().length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "ABC", "000000000000000000000000000000000000000000000000000000000000000"})
    void constructorRejectsBadEncoding(String hex) {
        assertThrows(DigestInvalid.class, () -> new Digest(DigestAlgorithm.SHA256, hex));
    }

    @Test
    void constructorRejectsNullEncoding() {
        assertThrows(DigestInvalid.class, () -> new Digest(DigestAlgorithm.SHA256, null));
    }

    static Stream<Arguments> knownVectors() {
        return Stream.of(
                Arguments.of("", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                Arguments.of("abc", "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    @ParameterizedTest
    @MethodSource("knownVectors")
    void sha256MatchesKnownVectors(String input, String expected) {
        assertEquals(expected, Digest.sha256(input.getBytes(StandardCharsets.UTF_8)).toString());
        assertEquals(Digest.parse(expected), Digest.sha256(input.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sha512MatchesKnownVectorOfEmptyInput() {
        assertEquals("sha512:" + HEX128, DigestAlgorithm.SHA512.digest(new byte[0]).toString());
    }

    @Test
    void equalityAndOrderingFollowTheText() {
        Digest a = Digest.parse("sha256:" + "0".repeat(64));
        Digest b = Digest.parse("sha256:" + "1".repeat(64));
        assertEquals(a, Digest.parse("sha256:" + "0".repeat(64)));
        assertNotEquals(a, b);
        assertTrue(a.compareTo(b) < 0);
        assertEquals(0, a.compareTo(Digest.parse(a.toString())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256", "sha512"})
    void byIdFindsRegisteredAlgorithms(String id) {
        assertEquals(id, DigestAlgorithm.byId(id).orElseThrow().id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA256", "sha-256", "SHA-256", "md5", "", "sha256 "})
    void byIdRejectsOtherNames(String id) {
        assertTrue(DigestAlgorithm.byId(id).isEmpty());
    }
}
