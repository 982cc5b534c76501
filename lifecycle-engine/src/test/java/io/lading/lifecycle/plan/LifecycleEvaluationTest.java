package io.lading.lifecycle.plan;

import static io.lading.lifecycle.plan.Fixtures.NOW;
import static io.lading.lifecycle.plan.Fixtures.image;
import static io.lading.lifecycle.plan.Fixtures.policy;
import static io.lading.lifecycle.plan.Fixtures.rule;
import static io.lading.lifecycle.plan.Fixtures.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.lifecycle.policy.ActionType;
import io.lading.lifecycle.policy.LifecyclePolicy;
import io.lading.lifecycle.policy.LifecycleRule;
import io.lading.lifecycle.policy.LifecyclePolicyInvalid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The streaming evaluation against the set-based algorithm of §7.3 it replaced (kept here as the
 * reference): every rule's candidates computed over the whole snapshot, then precedence and guards. Over
 * random repositories and policies both must decide every image alike.
 */
class LifecycleEvaluationTest {

    private static final String[] PREFIXES = {"prod", "dev", "v1", "release"};

    @Test
    void decidesAsTheWholeSnapshotAlgorithmOnRandomRepositories() {
        Random random = new Random(20261207);
        int acted = 0;
        for (int round = 0; round < 400; round++) {
            List<CandidateImage> images = randomImages(random, 1 + random.nextInt(60));
            LifecyclePolicy policy = randomPolicy(random);
            Map<String, Integer> expected = reference(policy, images);
            Map<String, Integer> actual = new HashMap<>();
            for (PlannedAction a : LifecyclePlanner.plan(policy, images, NOW).actions()) {
                actual.put(a.image().digest(), a.rulePriority());
            }
            assertEquals(expected, actual, "round " + round + ": " + policy.rules());
            acted += actual.size();
        }
        assertTrue(acted > 1000, "the random policies acted on too few images to compare: " + acted);
    }

    @Test
    void summaryCountsTheDecisionsMadeSoFar() {
        LifecyclePolicy policy = policy(rules(rule(1, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1",
                "\"type\":\"expire\"")));
        LifecycleEvaluation evaluation = new LifecycleEvaluation(policy, NOW);
        assertTrue(evaluation.next(image("c", "2025-06-03", "a")).isEmpty(), "the newest is kept");
        assertEquals(0, evaluation.summary().expiringImageTotalCount());
        assertEquals(ActionType.EXPIRE, evaluation.next(image("b", "2025-06-02")).orElseThrow().action().type());
        evaluation.next(image("a", "2025-06-01"));
        assertEquals(2, evaluation.summary().expiringImageTotalCount());
    }

    @Test
    void anImageOutOfOrderOrTwiceIsRefusedRatherThanMisranked() {
        LifecyclePolicy policy = policy(rules(rule(1, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1",
                "\"type\":\"expire\"")));
        LifecycleEvaluation evaluation = new LifecycleEvaluation(policy, NOW);
        evaluation.next(image("b", "2025-06-02"));
        assertThrows(IllegalArgumentException.class, () -> evaluation.next(image("c", "2025-06-03")), "newer after older");
        assertThrows(IllegalArgumentException.class, () -> evaluation.next(image("b", "2025-06-02")), "the same image twice");
        // equal push times: the smaller digest is the newer one, so it comes first
        evaluation.next(image("d", "2025-06-01"));
        assertThrows(IllegalArgumentException.class, () -> evaluation.next(image("a", "2025-06-01")));
    }

    /** The §7.3 algorithm over the whole snapshot: rule by rule, candidates by sorting what each rule identifies. */
    private static Map<String, Integer> reference(LifecyclePolicy policy, List<CandidateImage> images) {
        Map<String, Integer> decisions = new HashMap<>();
        Set<String> identifiedEarlier = new HashSet<>();
        for (LifecycleRule rule : policy.rules()) {
            List<CandidateImage> identified = images.stream()
                    .filter(i -> rule.identifies(i.storageClass(), i.tags()))
                    .sorted(RuleCandidates.NEWEST_FIRST)
                    .toList();
            for (int rank = 0; rank < identified.size(); rank++) {
                CandidateImage i = identified.get(rank);
                if (!identifiedEarlier.contains(i.digest()) && !i.referencedByManifestList()
                        && RuleCandidates.selects(rule.count(), rank, i, NOW)) {
                    decisions.put(i.digest(), rule.rulePriority());
                }
            }
            identified.forEach(i -> identifiedEarlier.add(i.digest()));
        }
        return decisions;
    }

    private static List<CandidateImage> randomImages(Random random, int n) {
        List<CandidateImage> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            List<String> tags = new ArrayList<>();
            int tagCount = random.nextInt(3);
            for (int t = 0; t < tagCount; t++) {
                tags.add(PREFIXES[random.nextInt(PREFIXES.length)] + "-" + k + "-" + t);
            }
            // pushed within the last 60 days, often at equal times so that ties are ranked by digest
            CandidateImage.Builder b = CandidateImage.builder(String.format("sha256:%064x", k),
                    NOW.minus(Duration.ofDays(random.nextInt(60))))
                    .tags(tags)
                    .referencedByManifestList(random.nextInt(8) == 0);
            if (random.nextBoolean()) {
                b.lastRecordedPullTime(NOW.minus(Duration.ofDays(random.nextInt(30))));
            }
            out.add(b.build());
        }
        return out;
    }

    /** A random policy that validates (ECR refuses, e.g., two rules for untagged images). */
    private static LifecyclePolicy randomPolicy(Random random) {
        while (true) {
            try {
                return policy(randomRules(random));
            } catch (LifecyclePolicyInvalid e) {
                // draw again
            }
        }
    }

    private static String randomRules(Random random) {
        int n = 1 + random.nextInt(4);
        String[] rules = new String[n];
        for (int r = 0; r < n; r++) {
            String selection = switch (random.nextInt(4)) {
                case 0 -> "\"tagStatus\":\"any\"";
                case 1 -> "\"tagStatus\":\"untagged\"";
                case 2 -> "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"" + PREFIXES[random.nextInt(PREFIXES.length)] + "\"]";
                default -> "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"*" + random.nextInt(10) + "*\"]";
            };
            String count = switch (random.nextInt(3)) {
                case 0 -> "\"countType\":\"imageCountMoreThan\",\"countNumber\":" + (1 + random.nextInt(10));
                case 1 -> "\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":" + (1 + random.nextInt(40));
                default -> "\"countType\":\"sinceImagePulled\",\"countUnit\":\"days\",\"countNumber\":" + (1 + random.nextInt(20));
            };
            rules[r] = rule(r + 1, selection + "," + count, "\"type\":\"expire\"");
        }
        return rules(rules);
    }
}
