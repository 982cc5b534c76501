package io.lading.core.tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException;
import io.lading.core.error.RegistryException.DigestInvalid;
import io.lading.core.error.RegistryException.TagInvalid;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class TagAndReferenceTest {

    static final String SHA = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    static Stream<String> validTags() {
        return Stream.of("a", "Z", "0", "_", "latest", "v1.2.3", "1.0-rc.1", "_private", "__", "_.-",
                "a.", "a..b", "a-", "a_b", "MiXeD", "x".repeat(128), "x".repeat(129), "x".repeat(300),
                "_" + "-".repeat(299), "sha256", "sha256-" + "a".repeat(64));
    }

    @ParameterizedTest
    @MethodSource("validTags")
    void acceptsValidTag(String tag) {
        assertEquals(tag, Tag.of(tag).value());
        assertTrue(Tag.isValid(tag));
        Reference r = Reference.parse(tag);
        assertEquals(new Reference.ByTag(new Tag(tag)), r);
        assertEquals(tag, r.toString());
    }

    static Stream<String> invalidTags() {
        return Stream.of(".", "..", "...", ".a", "-x", "-", "a+b", "a/b", "/", "../x", "a/../b",
                "x".repeat(301), "x".repeat(100_000),
                " a", "a ", "a\n", "a\tb", "a b", "a@b", "a#b", "a%2f", "a*", "a?", "a\\b", "a~b", "a,b", "a=b",
                "caf\u00e9", "a\u0660", "\uff41", "a\u0000", "\ud83d\ude00", "\u00a0");
    }

    @ParameterizedTest
    @MethodSource("invalidTags")
    @NullAndEmptySource
    void rejectsInvalidTag(String tag) {
        assertThrows(TagInvalid.class, () -> Tag.of(tag));
        assertFalse(Tag.isValid(tag));
        assertThrows(TagInvalid.class, () -> Reference.parse(tag));
    }

    @Test
    void boundaryLengthsAreOneAndThreeHundred() {
        assertTrue(Tag.isValid("a"));
        assertTrue(Tag.isValid("a".repeat(300)));
        assertFalse(Tag.isValid("a".repeat(301)));
        assertFalse(Tag.isValid(""));
    }

    @Test
    void parsesDigestReference() {
        Reference r = Reference.parse(SHA);
        Reference.ByDigest d = assertInstanceOf(Reference.ByDigest.class, r);
        assertEquals(Digest.parse(SHA), d.digest());
        assertEquals(SHA, r.toString());
    }

    static Stream<Arguments> badReferences() {
        return Stream.of(
                // anything with a colon is a digest: a malformed one is DigestInvalid, never TagInvalid
                Arguments.of("sha256:abc", DigestInvalid.class),
                Arguments.of(SHA.toUpperCase(), DigestInvalid.class),
                Arguments.of("md5:d41d8cd98f00b204e9800998ecf8427e", DigestInvalid.class),
                Arguments.of("sha256:../../x", DigestInvalid.class),
                Arguments.of("latest:1", DigestInvalid.class),
                Arguments.of(":", DigestInvalid.class),
                Arguments.of(":latest", DigestInvalid.class),
                Arguments.of("latest:", DigestInvalid.class),
                Arguments.of("a/b:c", DigestInvalid.class),
                Arguments.of(SHA + " ", DigestInvalid.class),
                // no colon: a tag
                Arguments.of("a+b", TagInvalid.class),
                Arguments.of("..", TagInvalid.class),
                Arguments.of("-x", TagInvalid.class),
                Arguments.of("a/b", TagInvalid.class),
                Arguments.of("", TagInvalid.class));
    }

    @Test
    void digestWithoutColonIsJustATag() {
        String text = "sha256" + SHA.substring(7);
        assertEquals(new Reference.ByTag(Tag.of(text)), Reference.parse(text));
    }

    @ParameterizedTest
    @MethodSource("badReferences")
    void parseThrowsTheMatchingDomainError(String text, Class<? extends RegistryException> expected) {
        RegistryException e = assertThrows(RegistryException.class, () -> Reference.parse(text));
        assertEquals(expected, e.getClass());
    }
}
