package io.lading.lifecycle.policy;

import java.util.Objects;

/**
 * One entry of a {@code tagPatternList}: {@code *} matches any run of characters (also the empty one),
 * every other character matches only itself ({@code ?} included), case-sensitively, and the whole tag must
 * match. Matching is the linear two-pointer/backtrack algorithm; user input is never turned into a regular
 * expression, so a hostile pattern cannot cause catastrophic backtracking. Immutable and thread-safe.
 *
 * @param text the pattern as written in the policy
 * @see "lifecycle-policy.md §6"
 */
public record TagPattern(String text) {

    /** The most wildcards a pattern may hold (validation C5). */
    public static final int MAX_WILDCARDS = 4;

    public TagPattern {
        Objects.requireNonNull(text, "text");
    }

    /** The number of {@code *} in the pattern. */
    public int wildcards() {
        return (int) text.chars().filter(c -> c == '*').count();
    }

    /** True when the whole of {@code tag} matches this pattern. */
    public boolean matches(String tag) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < tag.length()) {
            if (p < text.length() && text.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (p < text.length() && text.charAt(p) == tag.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                // let the last star swallow one more character and retry the rest of the pattern after it
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < text.length() && text.charAt(p) == '*') {
            p++;
        }
        return p == text.length();
    }
}
