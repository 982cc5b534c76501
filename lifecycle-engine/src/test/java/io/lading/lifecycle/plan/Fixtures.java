package io.lading.lifecycle.plan;

import io.lading.lifecycle.policy.LifecyclePolicy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Shorthands for the worked vectors of lifecycle-policy.md §11. */
final class Fixtures {

    /** The {@code now} of every vector unless stated. */
    static final Instant NOW = Instant.parse("2025-07-01T00:00:00Z");

    private Fixtures() {
    }

    /** Midnight UTC of {@code 2025-06-21}, or the instant {@code 2025-06-30T06:00:00Z}. */
    static Instant at(String text) {
        return text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** A standard, never pulled image {@code sha256:<id>} pushed at {@code pushed} with these tags. */
    static CandidateImage image(String id, String pushed, String... tags) {
        return CandidateImage.builder("sha256:" + id, at(pushed)).tags(tags).build();
    }

    static CandidateImage.Builder builder(String id, String pushed, String... tags) {
        return CandidateImage.builder("sha256:" + id, at(pushed)).tags(tags);
    }

    /** Parses a policy, padding short texts with trailing spaces to the 100-character minimum. */
    static LifecyclePolicy policy(String json) {
        return LifecyclePolicy.parse(pad(json));
    }

    static String pad(String json) {
        return json.length() >= 100 ? json : json + " ".repeat(100 - json.length());
    }

    /** One rule, wrapped: {@code rule(1, "\"tagStatus\":\"any\",...", "\"type\":\"expire\"")}. */
    static String rule(int priority, String selection, String action) {
        return "{\"rulePriority\":" + priority + ",\"selection\":{" + selection + "},\"action\":{" + action + "}}";
    }

    static String rules(String... rules) {
        return "{\"rules\":[" + String.join(",", rules) + "]}";
    }

    /** The plan as {@code id -> "priority:action"}, e.g. {@code A -> 1:expire}. */
    static Map<String, String> outcome(Plan plan) {
        Map<String, String> out = new TreeMap<>();
        for (PlannedAction a : plan.actions()) {
            out.put(a.image().digest().substring("sha256:".length()),
                    a.rulePriority() + ":" + a.action().type().policyName());
        }
        return out;
    }

    /** {@code expect("A", "1:expire", "B", "2:expire")}. */
    static Map<String, String> expect(String... pairs) {
        Map<String, String> out = new TreeMap<>();
        for (int k = 0; k < pairs.length; k += 2) {
            out.put(pairs[k], pairs[k + 1]);
        }
        return out;
    }

    static List<CandidateImage> images(CandidateImage... images) {
        return List.of(images);
    }
}
