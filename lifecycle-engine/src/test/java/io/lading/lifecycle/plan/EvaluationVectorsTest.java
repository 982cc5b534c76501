package io.lading.lifecycle.plan;

import static io.lading.lifecycle.plan.Fixtures.NOW;
import static io.lading.lifecycle.plan.Fixtures.at;
import static io.lading.lifecycle.plan.Fixtures.builder;
import static io.lading.lifecycle.plan.Fixtures.expect;
import static io.lading.lifecycle.plan.Fixtures.image;
import static io.lading.lifecycle.plan.Fixtures.images;
import static io.lading.lifecycle.plan.Fixtures.outcome;
import static io.lading.lifecycle.plan.Fixtures.policy;
import static io.lading.lifecycle.plan.Fixtures.rule;
import static io.lading.lifecycle.plan.Fixtures.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lading.lifecycle.policy.StorageClass;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every worked evaluation vector of lifecycle-policy.md §11, with a fixed clock. */
class EvaluationVectorsTest {

    private static final String EXPIRE = "\"type\":\"expire\"";
    private static final String ARCHIVE = "\"type\":\"transition\",\"targetStorageClass\":\"archive\"";

    record Vector(String name, String policy, List<CandidateImage> images, Instant now, Map<String, String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String tagged(String list, String values, String count) {
        return "\"tagStatus\":\"tagged\",\"" + list + "\":[" + values + "]," + count;
    }

    private static String keep(int n) {
        return "\"countType\":\"imageCountMoreThan\",\"countNumber\":" + n;
    }

    private static String days(String type, int n) {
        return "\"countType\":\"" + type + "\",\"countUnit\":\"days\",\"countNumber\":" + n;
    }

    private static String pushed(int n) {
        return days("sinceImagePushed", n);
    }

    private static final List<CandidateImage> LV01_IMAGES = images(
            image("A", "2025-06-21", "beta-1", "prod-1"),
            image("B", "2025-06-22", "beta-2", "prod-2"),
            image("C", "2025-06-23", "beta-3"));

    private static final List<CandidateImage> LV08_IMAGES = images(
            image("I1", "2025-06-01", "v1.2.0"), image("I2", "2025-06-02", "v10.0.0"),
            image("I3", "2025-06-03", "v1.3.0"), image("I4", "2025-06-04", "release-v1"));

    private static final List<CandidateImage> LV12_IMAGES = images(
            image("X", "2025-06-01T00:00:02Z", "v1"),
            builder("Xamd", "2025-06-01T00:00:00Z").referencedByManifestList(true).build(),
            builder("Xarm", "2025-06-01T00:00:01Z").referencedByManifestList(true).build(),
            image("Y", "2025-05-01"));

    static Stream<Vector> vectors() {
        return Stream.of(
                new Vector("LV-01 higher rule protects images it left alone (prod, beta)",
                        rules(rule(1, tagged("tagPatternList", "\"prod*\"", keep(1)), EXPIRE),
                                rule(2, tagged("tagPatternList", "\"beta*\"", keep(1)), EXPIRE)),
                        LV01_IMAGES, NOW, expect("A", "1:expire")),
                new Vector("LV-02 same images, rule order swapped (beta, prod)",
                        rules(rule(1, tagged("tagPatternList", "\"beta*\"", keep(1)), EXPIRE),
                                rule(2, tagged("tagPatternList", "\"prod*\"", keep(1)), EXPIRE)),
                        LV01_IMAGES, NOW, expect("A", "1:expire", "B", "1:expire")),
                new Vector("LV-03 several patterns are an AND",
                        rules(rule(1, tagged("tagPatternList", "\"alpha*\",\"beta*\"", pushed(5)), EXPIRE)),
                        images(image("A", "2025-06-19", "alpha-1"), image("B", "2025-06-20", "beta-1"),
                                image("C", "2025-06-21", "alpha-2", "beta-2"), image("D", "2025-06-27", "alpha-3"),
                                image("E", "2025-06-28", "beta-3"), image("F", "2025-06-29", "alpha-4", "beta-4")),
                        NOW, expect("C", "1:expire")),
                new Vector("LV-04 extra tags do not prevent a match",
                        rules(rule(1, tagged("tagPatternList", "\"alpha*\",\"beta*\"", keep(1)), EXPIRE)),
                        images(image("A", "2025-06-21", "alpha-1", "beta-1", "gamma-1"),
                                image("B", "2025-06-22", "alpha-2", "beta-2"),
                                image("C", "2025-06-23", "alpha-3", "beta-3", "gamma-2")),
                        NOW, expect("A", "1:expire", "B", "1:expire")),
                new Vector("LV-05 any keeps the newest N regardless of tags",
                        rules(rule(1, "\"tagStatus\":\"any\"," + keep(1), EXPIRE)),
                        images(image("A", "2025-06-27", "alpha-1"), image("B", "2025-06-28", "beta-1"),
                                image("C", "2025-06-29"), image("D", "2025-06-30", "alpha-2")),
                        NOW, expect("A", "1:expire", "B", "1:expire", "C", "1:expire")),
                new Vector("LV-06 three rule types combined", PreviewResultTest.LV06_POLICY,
                        PreviewResultTest.LV06_IMAGES, NOW, expect("A", "1:expire", "B", "2:expire", "D", "3:expire")),
                new Vector("LV-07 age boundary is strict",
                        rules(rule(1, "\"tagStatus\":\"untagged\"," + pushed(14), EXPIRE)),
                        images(image("U1", "2025-06-01T00:00:00Z"), image("U2", "2025-06-17T00:00:00Z"),
                                image("U3", "2025-06-16T23:59:59Z"), image("T1", "2025-05-01", "v1")),
                        NOW, expect("U1", "1:expire", "U3", "1:expire")),
                new Vector("LV-08a prefix list is startsWith",
                        rules(rule(1, tagged("tagPrefixList", "\"v1\"", keep(1)), EXPIRE)),
                        LV08_IMAGES, NOW, expect("I1", "1:expire", "I2", "1:expire")),
                new Vector("LV-08b same images, pattern list",
                        rules(rule(1, tagged("tagPatternList", "\"v1.*\"", keep(1)), EXPIRE)),
                        LV08_IMAGES, NOW, expect("I1", "1:expire")),
                new Vector("LV-09 exact pattern, infix wildcard, catch-all",
                        rules(rule(1, tagged("tagPatternList", "\"latest\"", keep(1)), EXPIRE),
                                rule(2, tagged("tagPatternList", "\"*-rc*\"", pushed(7)), EXPIRE),
                                rule(10, "\"tagStatus\":\"any\"," + pushed(30), EXPIRE)),
                        images(image("J1", "2025-04-01", "latest", "v3"), image("J2", "2025-04-02", "latest-dev"),
                                image("J3", "2025-06-20", "app-1-rc1"), image("J4", "2025-06-28", "app-2-rc2"),
                                image("J5", "2025-05-01", "v2"), image("J6", "2025-06-25")),
                        NOW, expect("J2", "10:expire", "J3", "2:expire", "J5", "10:expire")),
                new Vector("LV-10 keep-forever shield rule",
                        rules(rule(1, tagged("tagPatternList", "\"prod-*\"", keep(9999)), EXPIRE),
                                rule(2, "\"tagStatus\":\"any\"," + pushed(30), EXPIRE)),
                        images(image("K1", "2024-01-15", "prod-2024-01"), image("K2", "2024-02-01", "dev-abc"),
                                image("K3", "2025-06-20", "prod-2025-06", "dev-xyz"),
                                image("K4", "2025-06-25", "dev-new"), image("K5", "2025-03-01")),
                        NOW, expect("K2", "2:expire", "K5", "2:expire")),
                new Vector("LV-11 counts include images a higher rule is expiring",
                        rules(rule(1, "\"tagStatus\":\"untagged\"," + pushed(1), EXPIRE),
                                rule(2, "\"tagStatus\":\"any\"," + keep(3), EXPIRE)),
                        images(image("M1", "2025-06-30T12:00:00Z"), image("M2", "2025-06-29T12:00:00Z"),
                                image("M3", "2025-06-28T12:00:00Z"), image("M4", "2025-06-27T12:00:00Z", "v4"),
                                image("M5", "2025-06-26", "v3"), image("M6", "2025-06-25", "v2"),
                                image("M7", "2025-06-24", "v1")),
                        NOW, expect("M2", "1:expire", "M3", "1:expire", "M4", "2:expire", "M5", "2:expire",
                                "M6", "2:expire", "M7", "2:expire")),
                new Vector("LV-12a children of a manifest list are guarded",
                        rules(rule(1, "\"tagStatus\":\"untagged\"," + pushed(7), EXPIRE)),
                        LV12_IMAGES, NOW, expect("Y", "1:expire")),
                new Vector("LV-12b run 1: index expired first, children still referenced",
                        rules(rule(1, tagged("tagPatternList", "\"v*\"", pushed(7)), EXPIRE),
                                rule(2, "\"tagStatus\":\"untagged\"," + pushed(7), EXPIRE)),
                        LV12_IMAGES, NOW, expect("X", "1:expire", "Y", "2:expire")),
                new Vector("LV-12b run 2: children no longer referenced are expired",
                        rules(rule(1, tagged("tagPatternList", "\"v*\"", pushed(7)), EXPIRE),
                                rule(2, "\"tagStatus\":\"untagged\"," + pushed(7), EXPIRE)),
                        images(image("Xamd", "2025-06-01T00:00:00Z"), image("Xarm", "2025-06-01T00:00:01Z")),
                        at("2025-07-02"), expect("Xamd", "2:expire", "Xarm", "2:expire")),
                new Vector("LV-13 sinceImagePulled reference times", PreviewResultTest.LV13_POLICY,
                        PreviewResultTest.LV13_IMAGES, NOW, expect("P2", "1:transition", "P3", "1:transition")),
                new Vector("LV-14 one any rule per storage class; archive expiry",
                        rules(rule(1, "\"tagStatus\":\"any\"," + pushed(30), ARCHIVE),
                                rule(2, "\"tagStatus\":\"any\",\"storageClass\":\"archive\","
                                        + days("sinceImageTransitioned", 365), EXPIRE)),
                        images(image("Q1", "2025-05-01", "q1"), image("Q2", "2025-06-20", "q2"),
                                builder("Q3", "2024-01-01", "q3").storageClass(StorageClass.ARCHIVE)
                                        .lastArchivedAt(at("2024-06-01")).build(),
                                builder("Q4", "2024-06-01", "q4").storageClass(StorageClass.ARCHIVE)
                                        .lastArchivedAt(at("2025-01-01")).build()),
                        NOW, expect("Q1", "1:transition", "Q3", "2:expire")),
                new Vector("LV-15 prefix list AND across different tags",
                        rules(rule(1, tagged("tagPrefixList", "\"feature-\",\"build-\"", keep(1)), EXPIRE)),
                        images(image("R1", "2025-06-01", "feature-login", "build-101"),
                                image("R2", "2025-06-02", "feature-login-v2"),
                                image("R3", "2025-06-03", "build-103", "feature-x"),
                                image("R4", "2025-06-04", "build-104"),
                                image("R5", "2025-06-05", "feature-y", "build-105", "latest")),
                        NOW, expect("R1", "1:expire", "R3", "1:expire")),
                new Vector("LV-16 restored images sort by their restore time",
                        rules(rule(1, "\"tagStatus\":\"any\"," + keep(2), EXPIRE)),
                        images(image("W1", "2025-06-10", "w1"), image("W2", "2025-06-20", "w2"),
                                builder("W3", "2024-01-01", "w3").lastArchivedAt(at("2024-06-01"))
                                        .lastActivatedAt(at("2025-06-25")).build(),
                                image("W4", "2025-06-15", "w4")),
                        NOW, expect("W1", "1:expire", "W4", "1:expire")),
                new Vector("LVT-TIE equal sort times: the smaller digest is newer and kept",
                        rules(rule(1, "\"tagStatus\":\"untagged\"," + keep(1), EXPIRE)),
                        images(image("Z1", "2025-06-01T00:00:00Z"), image("Z2", "2025-06-01T00:00:00Z")),
                        NOW, expect("Z2", "1:expire")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void producesTheExpectedDecisions(Vector v) {
        Plan plan = LifecyclePlanner.plan(policy(v.policy()), v.images(), Clock.fixed(v.now(), ZoneOffset.UTC));

        assertEquals(v.expected(), outcome(plan));
        assertEquals(v.now(), plan.evaluatedAt());
    }

    @ParameterizedTest(name = "{0} (shuffled input)")
    @MethodSource("vectors")
    void decidesAlikeForAnyInputOrder(Vector v) {
        Plan reference = LifecyclePlanner.plan(policy(v.policy()), v.images(), v.now());
        Random random = new Random(v.name().hashCode());
        for (int round = 0; round < 20; round++) {
            List<CandidateImage> shuffled = new ArrayList<>(v.images());
            Collections.shuffle(shuffled, random);

            assertEquals(reference, LifecyclePlanner.plan(policy(v.policy()), shuffled, v.now()));
        }
    }
}
