package io.lading.lifecycle.policy;

import java.util.List;

/**
 * {@code tagStatus: tagged} with {@code tagPatternList}: an image is selected when, for <em>every</em>
 * pattern, at least one of its tags matches it ({@link TagPattern}). Different patterns may be satisfied by
 * different tags; an OR needs several rules. Immutable and thread-safe.
 *
 * @param patterns the patterns, in policy order, never empty
 * @see "lifecycle-policy.md §6"
 */
public record TagPatternSelection(List<TagPattern> patterns) implements TagSelection {

    static final String TOO_MANY_WILDCARDS = "A tag pattern can contain at most 4 wildcards (*).";

    public TagPatternSelection {
        patterns = List.copyOf(patterns);
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("at least one pattern is required");
        }
    }

    @Override
    public TagStatus tagStatus() {
        return TagStatus.TAGGED;
    }

    @Override
    public boolean matches(List<String> tags) {
        if (tags.isEmpty()) {
            return false;
        }
        for (TagPattern pattern : patterns) {
            if (tags.stream().noneMatch(pattern::matches)) {
                return false;
            }
        }
        return true;
    }

    /** C5: at most four wildcards per pattern. */
    static void validate(RuleDraft d, List<Violation> out) {
        if (d.patterns().stream().map(TagPattern::new).anyMatch(p -> p.wildcards() > TagPattern.MAX_WILDCARDS)) {
            out.add(d.violation(ValidationCheck.C5, TOO_MANY_WILDCARDS));
        }
    }
}
