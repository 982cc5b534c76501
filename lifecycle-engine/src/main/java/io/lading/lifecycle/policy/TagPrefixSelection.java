package io.lading.lifecycle.policy;

import java.util.List;

/**
 * {@code tagStatus: tagged} with {@code tagPrefixList}: an image is selected when, for <em>every</em>
 * prefix, at least one of its tags starts with it (plain {@code startsWith}, so {@code v1} matches
 * {@code v10.0.0}). Different prefixes may be satisfied by different tags. Immutable and thread-safe.
 *
 * @param prefixes the prefixes, in policy order, never empty
 * @see "lifecycle-policy.md §6"
 */
public record TagPrefixSelection(List<String> prefixes) implements TagSelection {

    static final String LIST_REQUIRED = "Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.";
    static final String NOT_BOTH = "tagPrefixList and tagPatternList cannot both be specified in a rule.";

    public TagPrefixSelection {
        prefixes = List.copyOf(prefixes);
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("at least one prefix is required");
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
        for (String prefix : prefixes) {
            if (tags.stream().noneMatch(t -> t.startsWith(prefix))) {
                return false;
            }
        }
        return true;
    }

    /** C2 and C4 for every tagged rule (exactly one non-empty list), whichever list it uses. */
    static void validateTagged(RuleDraft d, List<Violation> out) {
        boolean neither = d.prefixes() == null && d.patterns() == null;
        boolean emptyList = (d.prefixes() != null && d.prefixes().isEmpty())
                || (d.patterns() != null && d.patterns().isEmpty());
        if (neither || emptyList) {
            out.add(d.violation(ValidationCheck.C2, LIST_REQUIRED));
        }
        if (d.prefixes() != null && d.patterns() != null) {
            out.add(d.violation(ValidationCheck.C4, NOT_BOTH));
        }
    }
}
