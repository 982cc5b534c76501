package io.lading.lifecycle.plan;

import io.lading.lifecycle.policy.LifecycleRule;
import io.lading.lifecycle.policy.RuleAction;
import java.util.Objects;

/**
 * One decision of a {@link Plan}: this image gets this rule's action. Immutable and thread-safe.
 *
 * @param image the image as it was in the snapshot; the expirer must re-check, under the repository
 *     lock, that the digest still exists with the same tags and storage class before acting (§8)
 * @param rule the rule that decided (the first, by priority, that both identified the image and picked it)
 * @see "lifecycle-policy.md §7.3, §8"
 */
public record PlannedAction(CandidateImage image, LifecycleRule rule) {

    public PlannedAction {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(rule, "rule");
    }

    /** The deciding rule's {@code rulePriority} ({@code appliedRulePriority} in a preview). */
    public int rulePriority() {
        return rule.rulePriority();
    }

    /** What to do with the image. */
    public RuleAction action() {
        return rule.action();
    }
}
