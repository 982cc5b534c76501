package io.lading.core.repository;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A repository's tag mutability mode and exclusion filters (ECR's {@code imageTagMutability}), deciding
 * whether an existing tag may be moved to another digest (ecr-behaviour.md 7).
 *
 * @param mode MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION
 * @param filters wildcard filters ({@code *} matches any run, everything else literal, whole tag, case-sensitive)
 */
public record TagMutability(String mode, List<String> filters) {

    public static final List<String> MODES =
            List.of("MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION");
    private static final Pattern FILTER = Pattern.compile("[0-9a-zA-Z._*-]{1,128}");

    public TagMutability {
        filters = filters == null ? List.of() : List.copyOf(filters);
    }

    public static TagMutability mutable() {
        return new TagMutability("MUTABLE", List.of());
    }

    /** Checks the mode/filter combination; returns null if valid, else the reason. */
    public static String problem(String mode, List<String> filters) {
        if (!MODES.contains(mode)) {
            return "Member must satisfy enum value set: " + MODES;
        }
        boolean withExclusion = mode.endsWith("_WITH_EXCLUSION");
        int n = filters == null ? 0 : filters.size();
        if (withExclusion && (n < 1 || n > 5)) {
            return "imageTagMutabilityExclusionFilters must have 1 to 5 filters with " + mode;
        }
        if (!withExclusion && n > 0) {
            return "imageTagMutabilityExclusionFilters are only allowed with the _WITH_EXCLUSION modes";
        }
        if (filters != null) {
            for (String f : filters) {
                if (f == null || !FILTER.matcher(f).matches()) {
                    return "filter must satisfy regular expression '^[0-9a-zA-Z._*-]{1,128}$'";
                }
            }
        }
        return null;
    }

    /** Whether an existing {@code tag} may be moved to another digest. */
    public boolean mayMove(String tag) {
        return switch (mode) {
            case "IMMUTABLE" -> false;
            case "IMMUTABLE_WITH_EXCLUSION" -> matchesAny(tag);
            case "MUTABLE_WITH_EXCLUSION" -> !matchesAny(tag);
            default -> true;
        };
    }

    private boolean matchesAny(String tag) {
        for (String f : filters) {
            if (globMatches(f, tag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whole-string match of a wildcard filter ({@code *} = any run, everything else literal) in at most
     * filter-length × tag-length steps (one backtrack point). A regular expression of {@code .*} runs
     * backtracks exponentially on filters like {@code a*a*a*a*b}.
     */
    static boolean globMatches(String glob, String text) {
        int g = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                resume = t;
            } else if (g < glob.length() && glob.charAt(g) == text.charAt(t)) {
                g++;
                t++;
            } else if (star >= 0) {
                g = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
