package io.lading.lifecycle.policy;

import java.util.List;
import java.util.Objects;

/**
 * One validated rule of a lifecycle policy. Immutable and thread-safe.
 *
 * @param rulePriority unique in the policy; lower is evaluated first and takes precedence
 * @param description free text, or null
 * @param storageClass the class of images the rule looks at ({@link StorageClass#STANDARD} by default)
 * @param selection which images, by tags
 * @param count which of the identified images to act on
 * @param action what to do with them
 * @see "lifecycle-policy.md §4, §6"
 */
public record LifecycleRule(
        int rulePriority,
        String description,
        StorageClass storageClass,
        TagSelection selection,
        CountCriterion count,
        RuleAction action) {

    public LifecycleRule {
        Objects.requireNonNull(storageClass, "storageClass");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(count, "count");
        Objects.requireNonNull(action, "action");
    }

    /**
     * True when this rule <em>identifies</em> an image of class {@code imageClass} carrying {@code tags}
     * (§6): same storage class and a matching tag selection. Identification alone protects the image from
     * every later rule, even when this rule leaves it alone.
     */
    public boolean identifies(StorageClass imageClass, List<String> tags) {
        return storageClass == imageClass && selection.matches(tags);
    }
}
