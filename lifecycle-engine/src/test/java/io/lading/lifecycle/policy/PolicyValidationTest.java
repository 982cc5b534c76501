package io.lading.lifecycle.policy;

import static io.lading.lifecycle.policy.PolicyTexts.ARCHIVE;
import static io.lading.lifecycle.policy.PolicyTexts.EXPIRE;
import static io.lading.lifecycle.policy.PolicyTexts.UNTAGGED_KEEP_1;
import static io.lading.lifecycle.policy.PolicyTexts.days;
import static io.lading.lifecycle.policy.PolicyTexts.doc;
import static io.lading.lifecycle.policy.PolicyTexts.keep;
import static io.lading.lifecycle.policy.PolicyTexts.pad;
import static io.lading.lifecycle.policy.PolicyTexts.rule;
import static io.lading.lifecycle.policy.PolicyTexts.tagged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Nasty inputs beyond the §12 vectors: every check of §5, and the order in which they are reported. */
class PolicyValidationTest {

    private static final String NOT_MAPPABLE = "Could not map policyString into LifecyclePolicy.";
    private static final String ANY_KEEP_1 = "\"tagStatus\":\"any\"," + keep(1);

    private static String typeError(String found, String allowed) {
        return "instance type (" + found + ") does not match any allowed primitive type (allowed: [\"" + allowed + "\"])";
    }

    static Stream<Arguments> rejected() {
        List<String> many = new ArrayList<>();
        IntStream.rangeClosed(1, 51).forEach(p -> many.add(rule(p, tagged("tagPrefixList", "\"p" + p + "\"", keep(1)), EXPIRE)));
        return Stream.of(
                Arguments.of("S1 top level is an array", pad("[" + rule(1, UNTAGGED_KEEP_1, EXPIRE) + "]"), ValidationCheck.S1, NOT_MAPPABLE),
                Arguments.of("S1 top level is a string", pad("\"rules\"") , ValidationCheck.S1, NOT_MAPPABLE),
                Arguments.of("S1 trailing content after the object", doc(rule(1, UNTAGGED_KEEP_1, EXPIRE)) + "{}", ValidationCheck.S1, NOT_MAPPABLE),
                Arguments.of("S1 duplicate key", pad("{\"rules\":[" + rule(1, UNTAGGED_KEEP_1, EXPIRE) + "],\"rules\":[]}"), ValidationCheck.S1, NOT_MAPPABLE),
                Arguments.of("S1 truncated JSON", pad("{\"rules\":[" + rule(1, UNTAGGED_KEEP_1, EXPIRE)), ValidationCheck.S1, NOT_MAPPABLE),
                Arguments.of("S3 rules is an object", pad("{\"rules\":{}}"), ValidationCheck.S3, typeError("object", "array")),
                Arguments.of("S3 rules is null", pad("{\"rules\":null}"), ValidationCheck.S3, typeError("null", "array")),
                Arguments.of("S4 rules is empty", pad("{\"rules\":[]}"), ValidationCheck.S4,
                        "array is too short: must have at least 1 elements but instance has 0 elements"),
                Arguments.of("S5 a rule is a number", doc(rule(1, UNTAGGED_KEEP_1, EXPIRE), "7"), ValidationCheck.S5, typeError("integer", "object")),
                Arguments.of("S6 selection lacks every required member", doc(rule(1, "", EXPIRE)), ValidationCheck.S6,
                        "object has missing required properties ([\"countNumber\",\"countType\",\"tagStatus\"])"),
                Arguments.of("S6 action lacks type", doc(rule(1, UNTAGGED_KEEP_1, "")), ValidationCheck.S6,
                        "object has missing required properties ([\"type\"])"),
                Arguments.of("S6 in rule 2 beats S7 in rule 1",
                        doc("{\"rulePriority\":1,\"x\":1,\"selection\":{" + UNTAGGED_KEEP_1 + "},\"action\":{" + EXPIRE + "}}",
                                "{\"rulePriority\":2,\"selection\":{" + ANY_KEEP_1 + "}}"),
                        ValidationCheck.S6, "object has missing required properties ([\"action\"])"),
                Arguments.of("S7 unknown top-level member", pad("{\"rules\":[" + rule(1, UNTAGGED_KEEP_1, EXPIRE) + "],\"version\":1}"),
                        ValidationCheck.S7, "object instance has properties which are not allowed by the schema: ([\"version\"])"),
                Arguments.of("S7 several unknown members are sorted", doc(rule(1, UNTAGGED_KEEP_1 + ",\"zeta\":1,\"alpha\":2", EXPIRE)),
                        ValidationCheck.S7, "object instance has properties which are not allowed by the schema: ([\"alpha\",\"zeta\"])"),
                Arguments.of("S7 unknown action member", doc(rule(1, UNTAGGED_KEEP_1, EXPIRE + ",\"Type\":\"expire\"")),
                        ValidationCheck.S7, "object instance has properties which are not allowed by the schema: ([\"Type\"])"),
                Arguments.of("S8 description is null", doc("{\"rulePriority\":1,\"description\":null,\"selection\":{" + UNTAGGED_KEEP_1
                        + "},\"action\":{" + EXPIRE + "}}"), ValidationCheck.S8, typeError("null", "string")),
                Arguments.of("S8 selection is a string", doc("{\"rulePriority\":1,\"selection\":\"untagged\",\"action\":{" + EXPIRE + "}}"),
                        ValidationCheck.S8, typeError("string", "object")),
                Arguments.of("S8 pattern list holds a number", doc(rule(1, tagged("tagPatternList", "1", keep(1)), EXPIRE)),
                        ValidationCheck.S8, typeError("integer", "string")),
                Arguments.of("S8 rulePriority is a string", doc(rule(1, UNTAGGED_KEEP_1, EXPIRE).replace("\"rulePriority\":1", "\"rulePriority\":\"1\"")),
                        ValidationCheck.S8, typeError("string", "integer")),
                Arguments.of("S8 countNumber is a fraction", doc(rule(1, "\"tagStatus\":\"untagged\"," + keep(1).replace(":1", ":1.5"), EXPIRE)),
                        ValidationCheck.S8, typeError("number", "integer")),
                Arguments.of("S8 countNumber 1.0 is not an integer", doc(rule(1, "\"tagStatus\":\"untagged\"," + keep(1).replace(":1", ":1.0"), EXPIRE)),
                        ValidationCheck.S8, typeError("number", "integer")),
                Arguments.of("S8 countType is null", doc(rule(1, "\"tagStatus\":\"untagged\",\"countType\":null,\"countNumber\":1", EXPIRE)),
                        ValidationCheck.S8, typeError("null", "string")),
                Arguments.of("S9 countUnit hours", doc(rule(1, "\"tagStatus\":\"any\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"hours\",\"countNumber\":1", EXPIRE)),
                        ValidationCheck.S9, "instance value (\"hours\") not found in enum (possible values: [\"days\"])"),
                Arguments.of("S9 action type delete", doc(rule(1, UNTAGGED_KEEP_1, "\"type\":\"delete\"")),
                        ValidationCheck.S9, "instance value (\"delete\") not found in enum (possible values: [\"expire\",\"transition\"])"),
                Arguments.of("S9 storageClass STANDARD in upper case", doc(rule(1, UNTAGGED_KEEP_1 + ",\"storageClass\":\"STANDARD\"", EXPIRE)),
                        ValidationCheck.S9, "instance value (\"STANDARD\") not found in enum (possible values: [\"standard\",\"archive\"])"),
                Arguments.of("S9 targetStorageClass glacier", doc(rule(1, "\"tagStatus\":\"any\"," + days("sinceImagePushed", 3), "\"type\":\"transition\",\"targetStorageClass\":\"glacier\"")),
                        ValidationCheck.S9, "instance value (\"glacier\") not found in enum (possible values: [\"archive\"])"),
                Arguments.of("S10 negative rulePriority", doc(rule(-3, UNTAGGED_KEEP_1, EXPIRE)),
                        ValidationCheck.S10, "numeric instance is lower than the required minimum (minimum: 1, found: -3)"),
                Arguments.of("S11 unknown countType", doc(rule(1, "\"tagStatus\":\"any\",\"countType\":\"imageCountLessThan\",\"countNumber\":1", EXPIRE)),
                        ValidationCheck.S11, null),
                Arguments.of("S11 expire with targetStorageClass", doc(rule(1, UNTAGGED_KEEP_1, ARCHIVE.replace("transition", "expire"))),
                        ValidationCheck.S11, null),
                Arguments.of("MAPPING countNumber beyond 32 bits", doc(rule(1, "\"tagStatus\":\"untagged\"," + keep(1).replace(":1", ":4294967296"), EXPIRE)),
                        ValidationCheck.MAPPING, NOT_MAPPABLE),
                Arguments.of("S9 in rule 2 beats C1 duplicate priorities", doc(rule(1, UNTAGGED_KEEP_1, EXPIRE), rule(1, "\"tagStatus\":\"Any\"," + keep(1), EXPIRE)),
                        ValidationCheck.S9, null),
                Arguments.of("C1 beats C2 in an earlier rule", doc(rule(1, "\"tagStatus\":\"tagged\"," + keep(1), EXPIRE), rule(2, UNTAGGED_KEEP_1, EXPIRE), rule(2, ANY_KEEP_1, EXPIRE)),
                        ValidationCheck.C1, null),
                Arguments.of("C2 empty prefix list", doc(rule(1, tagged("tagPrefixList", "", keep(1)), EXPIRE)),
                        ValidationCheck.C2, "Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED."),
                Arguments.of("C3 any rule with an empty pattern list", doc(rule(1, "\"tagStatus\":\"any\",\"tagPatternList\":[]," + keep(1), EXPIRE)),
                        ValidationCheck.C3, null),
                Arguments.of("C7 two any rules in the standard class", doc(rule(1, ANY_KEEP_1, EXPIRE), rule(2, ANY_KEEP_1, EXPIRE)),
                        ValidationCheck.C7, null),
                Arguments.of("C7 any rule before an archive-class rule of the same class",
                        doc(rule(1, "\"tagStatus\":\"any\",\"storageClass\":\"archive\"," + days("sinceImageTransitioned", 90), EXPIRE),
                                rule(2, "\"tagStatus\":\"untagged\",\"storageClass\":\"archive\"," + days("sinceImageTransitioned", 100), EXPIRE)),
                        ValidationCheck.C7, null),
                Arguments.of("C8 prefix sets equal regardless of order and duplicates",
                        doc(rule(1, tagged("tagPrefixList", "\"a\",\"b\"", keep(1)), EXPIRE), rule(2, tagged("tagPrefixList", "\"b\",\"a\",\"b\"", keep(1)), EXPIRE)),
                        ValidationCheck.C8, null),
                Arguments.of("C10 archive class with imageCountMoreThan", doc(rule(1, "\"tagStatus\":\"any\",\"storageClass\":\"archive\"," + keep(1), EXPIRE)),
                        ValidationCheck.C10, null),
                Arguments.of("C10 sinceImageTransitioned with transition",
                        doc(rule(1, "\"tagStatus\":\"any\",\"storageClass\":\"archive\"," + days("sinceImageTransitioned", 90), ARCHIVE)),
                        ValidationCheck.C10, null),
                Arguments.of("C10 sinceImagePulled in the archive class",
                        doc(rule(1, "\"tagStatus\":\"any\",\"storageClass\":\"archive\"," + days("sinceImagePulled", 90), ARCHIVE)),
                        ValidationCheck.C10, null),
                Arguments.of("C12 fifty-one rules", doc(many.toArray(String[]::new)), ValidationCheck.C12,
                        "A lifecycle policy can contain at most 50 rules."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void reportsTheEarliestFailedCheck(String name, String text, ValidationCheck check, String detail) {
        LifecyclePolicyInvalid e = assertThrows(LifecyclePolicyInvalid.class, () -> LifecyclePolicy.parse(text));

        assertEquals(check, e.check(), e.getMessage());
        if (detail != null) {
            assertEquals(detail, e.detail());
        }
        assertEquals(ValidationVectorsTest.PREFIX + e.detail() + "'", e.getMessage());
    }

    static Stream<Arguments> accepted() {
        List<String> fifty = new ArrayList<>();
        IntStream.rangeClosed(1, 50).forEach(p -> fifty.add(rule(p, tagged("tagPrefixList", "\"p" + p + "\"", keep(1)), EXPIRE)));
        return Stream.of(
                Arguments.of("fifty rules", doc(fifty.toArray(String[]::new))),
                Arguments.of("description and whitespace", pad("  {\n \"rules\" : [ {\"rulePriority\":7,\"description\":\"\u00e9t\u00e9 \\\"quoted\\\"\","
                        + "\"selection\":{" + UNTAGGED_KEEP_1 + "},\"action\":{" + EXPIRE + "}} ] }\n")),
                Arguments.of("same prefix set in different storage classes is not C8",
                        doc(rule(1, tagged("tagPrefixList", "\"a\"", keep(1)), EXPIRE),
                                rule(2, tagged("tagPrefixList", "\"a\",\"b\"", keep(1)), EXPIRE))),
                Arguments.of("one untagged rule per class",
                        doc(rule(1, UNTAGGED_KEEP_1, EXPIRE), rule(2, "\"tagStatus\":\"untagged\",\"storageClass\":\"archive\","
                                + days("sinceImageTransitioned", 90), EXPIRE))));
    }

    @ParameterizedTest(name = "accepts {0}")
    @MethodSource("accepted")
    void accepts(String name, String text) {
        assertEquals(text, LifecyclePolicy.parse(text).text());
    }

    @org.junit.jupiter.api.Test
    void buildsTypedRulesSortedByPriority() {
        LifecyclePolicy policy = LifecyclePolicy.parse(doc(
                rule(30, ANY_KEEP_1, EXPIRE),
                rule(2, tagged("tagPatternList", "\"v*\",\"*-rc\"", days("sinceImagePushed", 7)), EXPIRE),
                rule(10, "\"tagStatus\":\"untagged\"," + days("sinceImagePulled", 60), ARCHIVE)));

        assertEquals(List.of(2, 10, 30), policy.rules().stream().map(LifecycleRule::rulePriority).toList());
        assertEquals(new LifecycleRule(2, null, StorageClass.STANDARD,
                new TagPatternSelection(List.of(new TagPattern("v*"), new TagPattern("*-rc"))),
                new SinceImagePushed(7), RuleAction.EXPIRE), policy.rules().get(0));
        assertEquals(new LifecycleRule(10, null, StorageClass.STANDARD, new UntaggedSelection(),
                new SinceImagePulled(60), RuleAction.TRANSITION_TO_ARCHIVE), policy.rules().get(1));
        assertEquals(new ImageCountMoreThan(1), policy.rules().get(2).count());
    }
}
