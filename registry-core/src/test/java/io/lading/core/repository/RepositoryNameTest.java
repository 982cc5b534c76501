package io.lading.core.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.error.RegistryException.NameInvalid;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNameTest {

    static Stream<String> validNames() {
        return Stream.of(
                // ecr-behaviour.md 2.1
                "nginx", "project-a/nginx-web-app", "a.b_c__d---e/f9",
                "ab", "a1", "9a", "00", "a--b", "a-b", "a.b", "a_b", "a__b",
                "team/app", "a/b", "a/b/c/d/e", "library/ubuntu", "0/1",
                "a".repeat(256),
                "a/".repeat(127) + "bb",                          // 256 chars with many components
                ("abc/").repeat(63) + "abcd");                     // 256 chars
    }

    @ParameterizedTest
    @MethodSource("validNames")
    void acceptsValidName(String name) {
        assertEquals(name, RepositoryName.of(name).value());
        assertEquals(name, RepositoryName.of(name).toString());
    }

    static Stream<String> invalidNames() {
        return Stream.of(
                // ecr-behaviour.md 2.1
                "A", "x", "app/", "/app", "a//b", "a_.b", "a___b", "-app",
                // traversal and store-key shapes
                "..", ".", "./a", "a/.", "a/..", "a/../b", "../a", "a/./b", "a/_tags", "_tags", "a/_uploads",
                "a/.hidden", ".a", "a.", "a_", "_a", "a-", "a/b-", "a/-b",
                // separators and case
                "Nginx", "nginX", "a/B", "a..b", "a._b", "a_-b", "a__-b", "a\\b", "a b", " ab", "ab ", "ab\n",
                "a\tb", "a:b", "a@b", "a%2fb", "a+b", "a~b", "a,b", "a;b", "a?b", "a#b", "a*b",
                "a/b/", "//", "/", "a/", "ab/",
                // unicode
                "caf\u00e9", "\u0430\u0431", "a\u0660", "ab\uff10", "a\u200bb", "a\u0000b", "\ud83d\ude00\ud83d\ude00",
                // length
                "a".repeat(257), "a/".repeat(128) + "b", "a".repeat(100_000));
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    @NullAndEmptySource
    void rejectsInvalidName(String name) {
        NameInvalid e = assertThrows(NameInvalid.class, () -> RepositoryName.of(name));
        assertEquals(name, e.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/../b", "a/_tags"})
    void rejectsTraversalAndStoreKeyShapedNames(String name) {
        assertThrows(NameInvalid.class, () -> new RepositoryName(name));
    }

    @Test
    void rejects257CharactersButAccepts256() {
        RepositoryName.of("a".repeat(256));
        assertThrows(NameInvalid.class, () -> RepositoryName.of("a".repeat(257)));
    }

    @Test
    void messageQuotesTheEcrPattern() {
        NameInvalid e = assertThrows(NameInvalid.class, () -> RepositoryName.of("A"));
        assertTrue(e.getMessage().startsWith(
                "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '"),
                e.getMessage());
        assertTrue(e.getMessage().contains(RepositoryName.PATTERN_TEXT));
    }

    @Test
    void ordersLexically() {
        assertTrue(RepositoryName.of("a/b").compareTo(RepositoryName.of("a/c")) < 0);
        assertTrue(RepositoryName.of("ab").compareTo(RepositoryName.of("a/b")) > 0);
    }
}
