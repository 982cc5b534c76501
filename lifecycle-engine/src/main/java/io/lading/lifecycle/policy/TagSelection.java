package io.lading.lifecycle.policy;

import java.util.List;

/**
 * Which images a rule looks at, by tags (§6 condition 2). One implementation per selection kind, each
 * validating its own part of the policy. Implementations are immutable and thread-safe.
 *
 * @see "lifecycle-policy.md §4, §6"
 */
public sealed interface TagSelection permits AnyTagSelection, UntaggedSelection, TagPrefixSelection,
        TagPatternSelection {

    /** The {@code tagStatus} this selection was written with. */
    TagStatus tagStatus();

    /** True when an image carrying exactly {@code tags} (possibly none) is selected. */
    boolean matches(List<String> tags);
}
