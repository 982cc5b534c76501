package io.lading.lifecycle.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wildcard matching of §6: {@code *} is the only wildcard, the whole tag must match, case-sensitive. */
class TagPatternTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "latest      | latest         | true",
            "latest      | latest-dev     | false",
            "latest      | my-latest      | false",
            "latest      | Latest         | false",
            "prod*       | prod           | true",
            "prod*       | prod-1         | true",
            "prod*       | preprod-1      | false",
            "*-rc*       | app-1-rc1      | true",
            "*-rc*       | -rc            | true",
            "*-rc*       | app-1          | false",
            "v1.*        | v1.2.0         | true",
            "v1.*        | v10.0.0        | false",
            "*           | anything       | true",
            "**          | x              | true",
            "a*b*c       | abc            | true",
            "a*b*c       | aXbYc          | true",
            "a*b*c       | aXbYcZ         | false",
            "a*b*c       | acb            | false",
            "*ab         | aab            | true",
            "*ab         | abab           | true",
            "*ab         | aba            | false",
            "a*a*a*a     | aaaa           | true",
            "a*a*a*a     | aaa            | false",
            "v?          | v1             | false",
            "v?          | v?             | true",
            "v.*         | vX1            | false",
            "[ab]*       | a1             | false",
            "*test*1*2*3 | mytest-1-2-3   | true",
            "test*1*2*3* | test123        | true",
    })
    void matchesWholeTagsWithStarOnly(String pattern, String tag, boolean expected) {
        assertEquals(expected, new TagPattern(pattern).matches(tag));
    }

    @ParameterizedTest(name = "{0} -> {1} wildcards")
    @CsvSource({"latest,0", "prod*,1", "*-rc*,2", "test*1*2*3*4*5*6,6"})
    void countsWildcards(String pattern, int expected) {
        assertEquals(expected, new TagPattern(pattern).wildcards());
    }

    @org.junit.jupiter.api.Test
    void emptyPatternMatchesOnlyTheEmptyTag() {
        assertEquals(true, new TagPattern("").matches(""));
        assertEquals(false, new TagPattern("").matches("a"));
    }

    @org.junit.jupiter.api.Test
    void hostilePatternStaysLinear() {
        String tag = "a".repeat(10_000);

        assertEquals(false, new TagPattern("*a*a*a*b").matches(tag));
        assertEquals(true, new TagPattern("*a*a*a*a").matches(tag));
    }
}
