package io.lading.lifecycle.policy;

import java.util.List;

/**
 * {@code tagStatus: any}: every image of the rule's storage class, tagged or not. Must be the last rule
 * of its class (C7, checked across rules). Immutable and thread-safe.
 *
 * @see "lifecycle-policy.md §6"
 */
public record AnyTagSelection() implements TagSelection {

    static final String LISTS_ONLY_WHEN_TAGGED =
            "tagPrefixList and tagPatternList may only be used with tagStatus=TAGGED.";

    @Override
    public TagStatus tagStatus() {
        return TagStatus.ANY;
    }

    @Override
    public boolean matches(List<String> tags) {
        return true;
    }

    /** C3: no tag list. */
    static void validate(RuleDraft d, List<Violation> out) {
        if (d.prefixes() != null || d.patterns() != null) {
            out.add(d.violation(ValidationCheck.C3, LISTS_ONLY_WHEN_TAGGED));
        }
    }
}
