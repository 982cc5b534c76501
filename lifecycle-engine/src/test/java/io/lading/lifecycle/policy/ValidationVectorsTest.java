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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every validation vector of lifecycle-policy.md §12. */
class ValidationVectorsTest {

    static final String PREFIX = "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: "
            + "'Lifecycle policy validation failure: ";

    /** A rejected text; {@code exact} says whether the detail is asserted verbatim or by prefix. */
    record Rejected(String name, String text, ValidationCheck check, String detail, boolean exact) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Accepted(String name, String text, int rules) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Rejected exact(String name, String text, ValidationCheck check, String detail) {
        return new Rejected(name, text, check, detail, true);
    }

    private static Rejected prefix(String name, String text, ValidationCheck check, String detailPrefix) {
        return new Rejected(name, text, check, detailPrefix, false);
    }

    static Stream<Rejected> rejected() {
        String oneOf = "instance failed to match exactly one schema (matched 0 out of ";
        return Stream.of(
                exact("LVV-01 text that is not JSON", pad("not json at all ..."), ValidationCheck.S1,
                        "Could not map policyString into LifecyclePolicy."),
                exact("LVV-02 rulez instead of rules",
                        pad("{\"rulez\":[" + rule(1, UNTAGGED_KEEP_1, EXPIRE) + "]}"), ValidationCheck.S2,
                        "object has missing required properties ([\"rules\"])"),
                exact("LVV-03 rule without action and rulePriority",
                        doc("{\"selection\":{" + UNTAGGED_KEEP_1 + "}}"), ValidationCheck.S6,
                        "object has missing required properties ([\"action\",\"rulePriority\"])"),
                exact("LVV-04 rule with extra member enabled",
                        doc("{\"rulePriority\":1,\"enabled\":true,\"selection\":{" + UNTAGGED_KEEP_1
                                + "},\"action\":{" + EXPIRE + "}}"), ValidationCheck.S7,
                        "object instance has properties which are not allowed by the schema: ([\"enabled\"])"),
                exact("LVV-05 tagStatus in upper case",
                        doc(rule(1, "\"tagStatus\":\"TAGGED\",\"tagPrefixList\":[\"a\"]," + keep(1), EXPIRE)),
                        ValidationCheck.S9, "instance value (\"TAGGED\") not found in enum "
                                + "(possible values: [\"tagged\",\"untagged\",\"any\"])"),
                exact("LVV-06 countNumber 0",
                        doc(rule(1, "\"tagStatus\":\"untagged\"," + keep(0), EXPIRE)), ValidationCheck.S10,
                        "numeric instance is lower than the required minimum (minimum: 1, found: 0)"),
                prefix("LVV-07 imageCountMoreThan with countUnit",
                        doc(rule(1, UNTAGGED_KEEP_1 + ",\"countUnit\":\"days\"", EXPIRE)), ValidationCheck.S11, oneOf),
                prefix("LVV-08 sinceImagePushed without countUnit",
                        doc(rule(1, "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countNumber\":7",
                                EXPIRE)), ValidationCheck.S11, oneOf),
                exact("LVV-09 expire action with targetStorageClass null",
                        doc(rule(1, UNTAGGED_KEEP_1, EXPIRE + ",\"targetStorageClass\":null")), ValidationCheck.S8,
                        "instance type (null) does not match any allowed primitive type (allowed: [\"string\"])"),
                exact("LVV-10 tagPatternList null in a tagged rule",
                        doc(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":null," + keep(1), EXPIRE)),
                        ValidationCheck.S8,
                        "instance type (null) does not match any allowed primitive type (allowed: [\"array\"])"),
                exact("LVV-11 tagged rule with neither list",
                        doc(rule(1, "\"tagStatus\":\"tagged\"," + keep(1), EXPIRE)), ValidationCheck.C2,
                        "Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED."),
                exact("LVV-12 untagged rule with tagPrefixList",
                        doc(rule(1, "\"tagStatus\":\"untagged\",\"tagPrefixList\":[\"a\"]," + keep(1), EXPIRE)),
                        ValidationCheck.C3, "tagPrefixList and tagPatternList may only be used with tagStatus=TAGGED."),
                exact("LVV-13 tagged rule with both lists",
                        doc(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"a\"],\"tagPatternList\":[\"b*\"],"
                                + keep(1), EXPIRE)),
                        ValidationCheck.C4, "tagPrefixList and tagPatternList cannot both be specified in a rule."),
                exact("LVV-14 pattern with six wildcards",
                        doc(rule(1, tagged("tagPatternList", "\"test*1*2*3*4*5*6\"", keep(1)), EXPIRE)),
                        ValidationCheck.C5, "A tag pattern can contain at most 4 wildcards (*)."),
                exact("LVV-15 two untagged rules",
                        doc(rule(1, UNTAGGED_KEEP_1, EXPIRE), rule(2, UNTAGGED_KEEP_1.replace(":1", ":2"), EXPIRE)),
                        ValidationCheck.C6, "Only one rule can select Untagged images per storage class."),
                exact("LVV-16 any rule before a tagged rule",
                        doc(rule(1, "\"tagStatus\":\"any\"," + keep(5), EXPIRE),
                                rule(2, tagged("tagPrefixList", "\"prod\"", keep(1)), EXPIRE)),
                        ValidationCheck.C7, "Rule for tagStatus=ANY must have the lowest priority per storage class"),
                exact("LVV-17 two rules with rulePriority 1",
                        doc(rule(1, UNTAGGED_KEEP_1, EXPIRE), rule(1, tagged("tagPrefixList", "\"prod\"", keep(1)), EXPIRE)),
                        ValidationCheck.C1, "rulePriority must be unique across rules."),
                exact("LVV-18 two tagged rules with the same prefix list",
                        doc(rule(1, tagged("tagPrefixList", "\"prod\"", keep(1)), EXPIRE),
                                rule(2, tagged("tagPrefixList", "\"prod\"", keep(3)), EXPIRE)),
                        ValidationCheck.C8, "The set of rules must contain a unique set of tag prefixes."),
                exact("LVV-19 sinceImagePulled with expire",
                        doc(rule(1, "\"tagStatus\":\"any\"," + days("sinceImagePulled", 30), EXPIRE)),
                        ValidationCheck.C9, "countType sinceImagePulled can only be used with action type transition."),
                exact("LVV-20 sinceImageTransitioned without storageClass",
                        doc(rule(1, "\"tagStatus\":\"any\"," + days("sinceImageTransitioned", 120), EXPIRE)),
                        ValidationCheck.C10,
                        "countType sinceImageTransitioned requires storageClass archive and action type expire."),
                exact("LVV-21 sinceImageTransitioned for 30 days",
                        doc(rule(1, "\"tagStatus\":\"any\",\"storageClass\":\"archive\","
                                + days("sinceImageTransitioned", 30), EXPIRE)),
                        ValidationCheck.C11, "Archived images must stay in archive for at least 90 days."),
                prefix("LVV-22 transition without targetStorageClass",
                        doc(rule(1, "\"tagStatus\":\"any\"," + days("sinceImagePushed", 30), "\"type\":\"transition\"")),
                        ValidationCheck.S11, oneOf));
    }

    static Stream<Accepted> accepted() {
        return Stream.of(
                new Accepted("LVV-14 patterns with exactly four wildcards are accepted",
                        doc(rule(1, tagged("tagPatternList", "\"*test*1*2*3\",\"test*1*2*3*\"", keep(1)), EXPIRE)), 1),
                new Accepted("LVV-24 one any rule per storage class (LV-14 policy)",
                        doc(rule(1, "\"tagStatus\":\"any\"," + days("sinceImagePushed", 30), ARCHIVE),
                                rule(2, "\"tagStatus\":\"any\",\"storageClass\":\"archive\","
                                        + days("sinceImageTransitioned", 365), EXPIRE)), 2),
                new Accepted("LVV-25 explicit standard storageClass with imageCountMoreThan",
                        doc(rule(1, "\"tagStatus\":\"any\",\"storageClass\":\"standard\"," + keep(3), EXPIRE)), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithEcrsMessage(Rejected v) {
        assertTrue(v.text().length() >= 100, "vector text must pass the length check");

        LifecyclePolicyInvalid e = assertThrows(LifecyclePolicyInvalid.class, () -> LifecyclePolicy.parse(v.text()));

        assertTrue(e.getMessage().startsWith(PREFIX), e.getMessage());
        assertTrue(e.getMessage().endsWith("'"), e.getMessage());
        assertEquals(PREFIX + e.detail() + "'", e.getMessage());
        assertEquals(v.check(), e.check(), e.getMessage());
        if (v.exact()) {
            assertEquals(v.detail(), e.detail());
        } else {
            assertTrue(e.detail().startsWith(v.detail()), e.detail());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(Accepted v) {
        LifecyclePolicy policy = LifecyclePolicy.parse(v.text());

        assertEquals(v.rules(), policy.rules().size());
        assertEquals(v.text(), policy.text());
    }

    record TooLong(String name, String text, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<TooLong> lengths() {
        String lengthPrefix = "Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: 'Member must have ";
        String valid = doc(rule(1, UNTAGGED_KEEP_1, EXPIRE));
        return Stream.of(
                new TooLong("LVV-23 text of 99 characters", valid.substring(0, 99),
                        lengthPrefix + "length greater than or equal to 100'"),
                new TooLong("LVV-23 (upper bound) text of 30721 characters",
                        valid + " ".repeat(30_721 - valid.length()),
                        lengthPrefix + "length less than or equal to 30720'"),
                new TooLong("LVV-23 (null) absent text", null,
                        lengthPrefix + "length greater than or equal to 100'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lengths")
    void rejectsTextsOutsideTheLengthBounds(TooLong v) {
        LifecyclePolicyInvalid e = assertThrows(LifecyclePolicyInvalid.class, () -> LifecyclePolicy.parse(v.text()));

        assertEquals(ValidationCheck.LENGTH, e.check());
        assertEquals(v.message(), e.getMessage());
        assertFalse(e.getMessage().contains("Lifecycle policy validation failure"));
    }

    @org.junit.jupiter.api.Test
    void lvv23AHundredCharactersPassTheLengthCheck() {
        // no valid policy is that short, so the text fails the next check (S1) instead
        LifecyclePolicyInvalid e = assertThrows(LifecyclePolicyInvalid.class,
                () -> LifecyclePolicy.parse("x".repeat(100)));

        assertEquals(ValidationCheck.S1, e.check());
    }

    @org.junit.jupiter.api.Test
    void lvv23AcceptsExactly30720Characters() {
        String valid = doc(rule(1, UNTAGGED_KEEP_1, EXPIRE));
        String text = valid + " ".repeat(30_720 - valid.length());

        assertEquals(30_720, LifecyclePolicy.parse(text).text().length());
    }
}
