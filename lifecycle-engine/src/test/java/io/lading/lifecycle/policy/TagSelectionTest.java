package io.lading.lifecycle.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tag status and list matching of §6: every list entry must be met, possibly by different tags. */
class TagSelectionTest {

    private static List<String> tags(String csv) {
        return csv.isEmpty() ? List.of() : Arrays.asList(csv.split(" "));
    }

    @ParameterizedTest(name = "prefixes [{0}] vs tags [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
            "v1              | v1.2.0                    | true",
            "v1              | v10.0.0                   | true",
            "v1              | release-v1                | false",
            "feature- build- | feature-login build-101   | true",
            "feature- build- | feature-login-v2          | false",
            "feature- build- | build-103 feature-x latest| true",
            "prod            | ''                        | false",
    })
    void prefixListIsAnAndOfStartsWith(String prefixes, String tagList, boolean expected) {
        assertEquals(expected, new TagPrefixSelection(tags(prefixes)).matches(tags(tagList)));
    }

    @ParameterizedTest(name = "patterns [{0}] vs tags [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
            "alpha* beta*    | alpha-2 beta-2            | true",
            "alpha* beta*    | alpha-1                   | false",
            "alpha* beta*    | alpha-1 beta-1 gamma-1    | true",
            "latest          | latest v3                 | true",
            "latest          | latest-dev                | false",
            "*               | ''                        | false",
    })
    void patternListIsAnAndOfWildcardMatches(String patterns, String tagList, boolean expected) {
        TagPatternSelection selection = new TagPatternSelection(tags(patterns).stream().map(TagPattern::new).toList());

        assertEquals(expected, selection.matches(tags(tagList)));
    }

    @Test
    void emptyPrefixMatchesEveryTaggedImage() {
        assertTrue(new TagPrefixSelection(List.of("")).matches(List.of("anything")));
        assertFalse(new TagPrefixSelection(List.of("")).matches(List.of()));
    }

    @Test
    void untaggedAndAnySelectByTagPresenceOnly() {
        assertTrue(new UntaggedSelection().matches(List.of()));
        assertFalse(new UntaggedSelection().matches(List.of("v1")));
        assertTrue(new AnyTagSelection().matches(List.of()));
        assertTrue(new AnyTagSelection().matches(List.of("v1")));
    }

    @Test
    void ruleIdentifiesOnlyImagesOfItsStorageClass() {
        LifecycleRule rule = new LifecycleRule(1, null, StorageClass.ARCHIVE, new AnyTagSelection(),
                new SinceImageTransitioned(90), RuleAction.EXPIRE);

        assertTrue(rule.identifies(StorageClass.ARCHIVE, List.of("a")));
        assertFalse(rule.identifies(StorageClass.STANDARD, List.of("a")));
    }

    @Test
    void typedSelectionsRefuseEmptyLists() {
        assertThrows(IllegalArgumentException.class, () -> new TagPrefixSelection(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new TagPatternSelection(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SinceImageTransitioned(89));
        assertThrows(IllegalArgumentException.class, () -> new ImageCountMoreThan(0));
        assertThrows(IllegalArgumentException.class, () -> new RuleAction(ActionType.EXPIRE, StorageClass.ARCHIVE));
    }
}
