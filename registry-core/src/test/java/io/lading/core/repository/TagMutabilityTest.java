package io.lading.core.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TagMutabilityTest {

    static List<String> filters(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("f" + i + "*");
        }
        return out;
    }

    static Stream<Arguments> combinations() {
        List<Arguments> out = new ArrayList<>();
        for (String mode : TagMutability.MODES) {
            boolean exclusion = mode.endsWith("_WITH_EXCLUSION");
            for (int n = 0; n <= 6; n++) {
                boolean valid = exclusion ? n >= 1 && n <= 5 : n == 0;
                out.add(Arguments.of(mode, filters(n), valid));
            }
            out.add(Arguments.of(mode, null, !exclusion));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} with {1}: valid={2}")
    @MethodSource("combinations")
    void checksEveryModeAndFilterCount(String mode, List<String> filters, boolean valid) {
        String problem = TagMutability.problem(mode, filters);
        if (valid) {
            assertNull(problem);
        } else {
            assertNotNull(problem);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "mutable", "Mutable", "IMMUTABLE ", " IMMUTABLE", "IMMUTABLE_WITH_EXCLUSIONS",
        "WITH_EXCLUSION", "_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION\n", "IMMUTABLE\u0000"})
    void rejectsUnknownMode(String mode) {
        String problem = TagMutability.problem(mode, List.of());
        assertNotNull(problem);
        assertEquals(true, problem.contains("enum value set"), problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "a/b", "a+b", "a?b", "[a]", "a|b", "^a$", "a\\b", "(a)", "a{2}",
        "\u00e9", "a\u0000", "a\n", "\ud83d\ude00", "a:b", "a@b", "a%b", "a,b"})
    void rejectsBadFilterPattern(String filter) {
        for (String mode : List.of("IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION")) {
            assertNotNull(TagMutability.problem(mode, List.of("ok", filter)), mode + " " + filter);
        }
    }

    @Test
    void rejectsNullFilterEntry() {
        assertNotNull(TagMutability.problem("IMMUTABLE_WITH_EXCLUSION", Arrays.asList("ok", null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "latest", "latest*", "*-dev", "a*b*c", "v1.2.3", "release-*", "A-Z_0.9*",
        "**", "x", "........"})
    void acceptsWellFormedFilter(String filter) {
        assertNull(TagMutability.problem("IMMUTABLE_WITH_EXCLUSION", List.of(filter)));
        assertNull(TagMutability.problem("MUTABLE_WITH_EXCLUSION", List.of(filter)));
    }

    @Test
    void acceptsFilterOf128CharactersButNot129() {
        assertNull(TagMutability.problem("MUTABLE_WITH_EXCLUSION", List.of("a".repeat(128))));
        assertNotNull(TagMutability.problem("MUTABLE_WITH_EXCLUSION", List.of("a".repeat(129))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "v1", "", "anything-at-all", "*"})
    void mayMoveFollowsPlainModes(String tag) {
        assertEquals(true, TagMutability.mutable().mayMove(tag));
        assertEquals(true, new TagMutability("MUTABLE", null).mayMove(tag));
        assertEquals(false, new TagMutability("IMMUTABLE", List.of()).mayMove(tag));
    }

    /** filter, tag, matches (whole tag, '*' any run, everything else literal, case-sensitive). */
    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "latest*   | latest         | true",
        "latest*   | latest-1.2     | true",
        "latest*   | xlatest        | false",
        "latest*   | Latest         | false",
        "latest*   | LATEST         | false",
        "latest*   | late           | false",
        "*-dev     | feature-dev    | true",
        "*-dev     | -dev           | true",
        "*-dev     | dev            | false",
        "*-dev     | feature-dev2   | false",
        "*-dev     | feature_dev    | false",
        "a*b*c     | abc            | true",
        "a*b*c     | aXXbYYc        | true",
        "a*b*c     | abbc           | true",
        "a*b*c     | acb            | false",
        "a*b*c     | abcd           | false",
        "a*b*c     | xabc           | false",
        "v1.2      | v1.2           | true",
        "v1.2      | v1x2           | false",
        "v1.2      | v1-2           | false",
        "v1.*      | v1x2           | false",
        "v1.*      | v1.            | true",
        "a-b       | a-b            | true",
        "a-b       | a_b            | false",
        "a-*-b     | a--b           | true",
        "a-*-b     | a-b            | false",
        "*         | x              | true",
        "*         | latest         | true",
        "*         | ''             | true",
        "**        | abc            | true",
        "latest    | latest         | true",
        "latest    | latest1        | false",
        "latest    | latestx        | false",
        "latest    | alatest        | false",
        "Latest    | latest         | false",
        "...       | abc            | false",
        "...       | ...            | true",
    })
    void wildcardMatchingDecidesExclusions(String filter, String tag, boolean matches) {
        assertEquals(matches, new TagMutability("IMMUTABLE_WITH_EXCLUSION", List.of(filter)).mayMove(tag),
                "IMMUTABLE_WITH_EXCLUSION: a tag matching a filter may move");
        assertEquals(!matches, new TagMutability("MUTABLE_WITH_EXCLUSION", List.of(filter)).mayMove(tag),
                "MUTABLE_WITH_EXCLUSION: a tag matching a filter may not move");
    }

    @Test
    void anyOfSeveralFiltersMatches() {
        TagMutability m = new TagMutability("IMMUTABLE_WITH_EXCLUSION", List.of("latest", "dev-*", "*-snapshot"));
        assertEquals(true, m.mayMove("latest"));
        assertEquals(true, m.mayMove("dev-42"));
        assertEquals(true, m.mayMove("1.0-snapshot"));
        assertEquals(false, m.mayMove("1.0"));
        assertEquals(false, m.mayMove("latest-1"));
    }

    /**
     * A filter is any {@code [0-9a-zA-Z._*-]{1,128}}, so it may hold up to 64 stars, and a tag may be 300
     * characters. Matching must stay fast for such input: a push to an existing tag evaluates it.
     */
    @Test
    void matchingStaysFastForStarHeavyFilters() {
        String filter = "a*a*a*a*a*b"; // valid filter, five stars
        assertNull(TagMutability.problem("IMMUTABLE_WITH_EXCLUSION", List.of(filter)));
        String tag = "a".repeat(300);    // valid tag
        TagMutability m = new TagMutability("IMMUTABLE_WITH_EXCLUSION", List.of(filter));
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertEquals(false, m.mayMove(tag)));
    }

    @Test
    void filtersListIsCopied() {
        List<String> f = new ArrayList<>(List.of("latest"));
        TagMutability m = new TagMutability("IMMUTABLE_WITH_EXCLUSION", f);
        f.clear();
        assertEquals(true, m.mayMove("latest"));
    }
}
