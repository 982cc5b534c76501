package io.lading.lifecycle.policy;

import java.util.List;

/**
 * {@code tagStatus: untagged}: images without any tag. At most one such rule per storage class (C6,
 * checked across rules). Immutable and thread-safe.
 *
 * @see "lifecycle-policy.md §6"
 */
public record UntaggedSelection() implements TagSelection {

    @Override
    public TagStatus tagStatus() {
        return TagStatus.UNTAGGED;
    }

    @Override
    public boolean matches(List<String> tags) {
        return tags.isEmpty();
    }

    /** C3: no tag list. */
    static void validate(RuleDraft d, List<Violation> out) {
        if (d.prefixes() != null || d.patterns() != null) {
            out.add(d.violation(ValidationCheck.C3, AnyTagSelection.LISTS_ONLY_WHEN_TAGGED));
        }
    }
}
