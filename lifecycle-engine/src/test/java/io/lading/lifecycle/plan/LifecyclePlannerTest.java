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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.lifecycle.policy.LifecyclePolicy;
import io.lading.lifecycle.policy.StorageClass;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Count types, boundaries, guards and determinism of the planner (§7). */
class LifecyclePlannerTest {

    private static final String EXPIRE = "\"type\":\"expire\"";
    private static final String ARCHIVE = "\"type\":\"transition\",\"targetStorageClass\":\"archive\"";

    private static String days(String type, int n) {
        return "\"countType\":\"" + type + "\",\"countUnit\":\"days\",\"countNumber\":" + n;
    }

    private static LifecyclePolicy any(String count, String action) {
        return policy(rules(rule(1, "\"tagStatus\":\"any\"," + count, action)));
    }

    @ParameterizedTest(name = "{0}: reference {1} days + {2}s ago -> acted on: {3}")
    @CsvSource({
            "sinceImagePushed, 30, 0, false",
            "sinceImagePushed, 30, 1, true",
            "sinceImagePushed, 30, -1, false",
            "sinceImagePulled, 90, 0, false",
            "sinceImagePulled, 90, 1, true",
            "sinceImageTransitioned, 365, 0, false",
            "sinceImageTransitioned, 365, 1, true"})
    void ageBoundariesAreStrict(String type, int n, long extraSeconds, boolean actedOn) {
        Instant reference = NOW.minus(Duration.ofDays(n)).minusSeconds(extraSeconds);
        CandidateImage image = switch (type) {
            case "sinceImageTransitioned" -> CandidateImage.builder("sha256:I", reference.minus(Duration.ofDays(400)))
                    .storageClass(StorageClass.ARCHIVE).lastArchivedAt(reference).build();
            case "sinceImagePulled" -> CandidateImage.builder("sha256:I", reference.minus(Duration.ofDays(400)))
                    .lastRecordedPullTime(reference).build();
            default -> CandidateImage.builder("sha256:I", reference).build();
        };
        String selection = type.equals("sinceImageTransitioned")
                ? "\"tagStatus\":\"any\",\"storageClass\":\"archive\"," + days(type, n)
                : "\"tagStatus\":\"any\"," + days(type, n);
        String action = type.equals("sinceImagePulled") ? ARCHIVE : EXPIRE;

        Plan plan = LifecyclePlanner.plan(policy(rules(rule(1, selection, action))), List.of(image), NOW);

        assertEquals(actedOn, !plan.isEmpty());
    }

    @Test
    void sinceImagePulledUsesThePullAfterARestore() {
        CandidateImage pulledAfterRestore = builder("A", "2024-01-01", "a").lastArchivedAt(at("2024-06-01"))
                .lastActivatedAt(at("2025-01-01")).lastRecordedPullTime(at("2025-06-01")).build();
        CandidateImage restoredNotPulled = builder("B", "2024-01-01", "b").lastArchivedAt(at("2024-06-01"))
                .lastActivatedAt(at("2025-03-01")).lastRecordedPullTime(at("2024-02-01")).build();

        Plan plan = LifecyclePlanner.plan(any(days("sinceImagePulled", 90), ARCHIVE),
                images(pulledAfterRestore, restoredNotPulled), NOW);

        assertEquals(expect("B", "1:transition"), outcome(plan));
    }

    @Test
    void sinceImagePushedIgnoresARestore() {
        CandidateImage restored = builder("A", "2024-01-01", "a").lastArchivedAt(at("2024-06-01"))
                .lastActivatedAt(at("2025-06-30")).build();

        Plan plan = LifecyclePlanner.plan(any(days("sinceImagePushed", 30), EXPIRE), List.of(restored), NOW);

        assertEquals(expect("A", "1:expire"), outcome(plan));
    }

    @Test
    void imageCountMoreThanKeepsEverythingWhenThereAreFewerImages() {
        Plan plan = LifecyclePlanner.plan(any("\"countType\":\"imageCountMoreThan\",\"countNumber\":3", EXPIRE),
                images(image("A", "2025-01-01"), image("B", "2025-01-02"), image("C", "2025-01-03")), NOW);

        assertTrue(plan.isEmpty());
    }

    @Test
    void imageCountMoreThanCanTransitionTheOldest() {
        Plan plan = LifecyclePlanner.plan(any("\"countType\":\"imageCountMoreThan\",\"countNumber\":1", ARCHIVE),
                images(image("A", "2025-01-01"), image("B", "2025-01-02")), NOW);

        assertEquals(expect("A", "1:transition"), outcome(plan));
        assertEquals(1, plan.transitioning().size());
        assertTrue(plan.expiring().isEmpty());
    }

    @Test
    void referencedChildrenStillTakeAKeptSlot() {
        Plan plan = LifecyclePlanner.plan(any("\"countType\":\"imageCountMoreThan\",\"countNumber\":1", EXPIRE),
                images(builder("Child", "2025-06-30").referencedByManifestList(true).build(),
                        image("Index", "2025-06-29", "v1"), image("Old", "2025-06-01"),
                        builder("OldChild", "2025-05-01").referencedByManifestList(true).build()),
                NOW);

        assertEquals(expect("Index", "1:expire", "Old", "1:expire"), outcome(plan));
    }

    @Test
    void planIsOrderedByPushTimeThenDigestAndAnswersByDigest() {
        Plan plan = LifecyclePlanner.plan(any(days("sinceImagePushed", 1), EXPIRE),
                images(image("C", "2025-03-01"), image("B", "2025-01-01"), image("A", "2025-03-01")), NOW);

        assertEquals(List.of("sha256:B", "sha256:A", "sha256:C"),
                plan.actions().stream().map(a -> a.image().digest()).toList());
        assertEquals(1, plan.actionFor("sha256:A").orElseThrow().rulePriority());
        assertTrue(plan.actionFor("sha256:Z").isEmpty());
    }

    @Test
    void clockOverloadReadsTheInjectedClockOnly() {
        Clock clock = Clock.fixed(at("2025-01-10"), ZoneOffset.UTC);

        Plan plan = LifecyclePlanner.plan(any(days("sinceImagePushed", 7), EXPIRE),
                images(image("A", "2025-01-01"), image("B", "2025-01-05")), clock);

        assertEquals(expect("A", "1:expire"), outcome(plan));
        assertEquals(clock.instant(), plan.evaluatedAt());
    }

    @Test
    void refusesDuplicateDigestsAndArchivedImagesWithoutArchiveTime() {
        assertThrows(IllegalArgumentException.class, () -> LifecyclePlanner.plan(
                any(days("sinceImagePushed", 7), EXPIRE), images(image("A", "2025-01-01"), image("A", "2025-01-02")), NOW));
        assertThrows(IllegalArgumentException.class,
                () -> builder("A", "2025-01-01").storageClass(StorageClass.ARCHIVE).build());
    }

    @Test
    void sameSnapshotInAnyOrderGivesTheSamePlan() {
        LifecyclePolicy policy = policy(rules(
                rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod-*\"],\"countType\":\"imageCountMoreThan\","
                        + "\"countNumber\":5", EXPIRE),
                rule(2, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"dev\"]," + days("sinceImagePushed", 20), EXPIRE),
                rule(3, "\"tagStatus\":\"untagged\"," + days("sinceImagePulled", 10), ARCHIVE),
                rule(4, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":40", EXPIRE)));
        Random random = new Random(42);
        String[] vocabulary = {"prod-1", "prod-2", "dev-a", "devx", "latest", "v1", "prod-", "release"};
        List<CandidateImage> images = new ArrayList<>();
        for (int k = 0; k < 500; k++) {
            List<String> tags = new ArrayList<>();
            for (int t = random.nextInt(3); t > 0; t--) {
                tags.add(vocabulary[random.nextInt(vocabulary.length)] + (random.nextBoolean() ? "" : "-" + k));
            }
            // few distinct push days, so sort-time ties are frequent
            Instant pushed = NOW.minus(Duration.ofDays(random.nextInt(60)));
            images.add(CandidateImage.builder("sha256:" + Integer.toHexString(k * 7919), pushed).tags(tags)
                    .lastRecordedPullTime(random.nextBoolean() ? pushed.plus(Duration.ofDays(random.nextInt(5))) : null)
                    .referencedByManifestList(random.nextInt(20) == 0).build());
        }
        Plan reference = LifecyclePlanner.plan(policy, images, NOW);
        assertTrue(reference.actions().size() > 100, "the policy should act on a good share of the images");

        for (int round = 0; round < 25; round++) {
            List<CandidateImage> shuffled = new ArrayList<>(images);
            Collections.shuffle(shuffled, random);

            assertEquals(reference, LifecyclePlanner.plan(policy, shuffled, NOW));
        }
        List<PlannedAction> sorted = new ArrayList<>(reference.actions());
        sorted.sort(LifecyclePlanner.APPLY_ORDER);
        assertEquals(sorted, reference.actions());
    }
}
