package io.lading.auth.policy;

/**
 * A precompiled wildcard pattern (spec §3.1): {@code *} matches any run of characters (including
 * {@code /} and {@code :}), {@code ?} exactly one character, everything else itself; anchored at
 * both ends. Each pattern position records whether it is a wildcard or a literal, so a literal
 * {@code *} produced by {@code ${*}} or by a substituted policy variable is never a wildcard.
 *
 * <p>Matching uses the linear backtracking algorithm (no regular expressions) and allocates
 * nothing. Case-insensitive patterns compare with simple per-character lower-casing. Immutable
 * and thread-safe.
 */
final class Glob {

    static final byte LIT = 0;
    static final byte STAR = 1;
    static final byte ONE = 2;

    private final char[] chars;
    private final byte[] kinds;
    private final boolean ignoreCase;
    private final boolean literalOnly;
    private final boolean matchesAll;
    /** Positions of the first five literal {@code :} (ARN field separators), or fewer. */
    private final int[] colons;
    private final String source;

    private Glob(char[] chars, byte[] kinds, boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
        this.chars = chars;
        this.kinds = kinds;
        boolean literal = true;
        boolean all = true;
        int[] found = new int[5];
        int colonCount = 0;
        for (int i = 0; i < chars.length; i++) {
            if (kinds[i] != LIT) {
                literal = false;
            }
            if (kinds[i] != STAR) {
                all = false;
            }
            if (ignoreCase && kinds[i] == LIT) {
                chars[i] = Character.toLowerCase(chars[i]);
            }
            if (kinds[i] == LIT && chars[i] == ':' && colonCount < 5) {
                found[colonCount++] = i;
            }
        }
        this.literalOnly = literal;
        this.matchesAll = all && chars.length > 0;
        this.colons = java.util.Arrays.copyOf(found, colonCount);
        this.source = new String(chars);
    }

    /** A pattern in which every {@code *} and {@code ?} is a wildcard. */
    static Glob of(String pattern, boolean ignoreCase) {
        char[] chars = pattern.toCharArray();
        byte[] kinds = new byte[chars.length];
        for (int i = 0; i < chars.length; i++) {
            kinds[i] = chars[i] == '*' ? STAR : chars[i] == '?' ? ONE : LIT;
        }
        return new Glob(chars, kinds, ignoreCase);
    }

    /** A pattern built position by position (see {@link Template}); the arrays are taken over. */
    static Glob of(char[] chars, byte[] kinds, boolean ignoreCase) {
        return new Glob(chars, kinds, ignoreCase);
    }

    /** Whether the whole of {@code text} matches. */
    boolean matches(CharSequence text) {
        if (literalOnly && !ignoreCase) {
            return source.contentEquals(text);
        }
        return matchRange(0, chars.length, text, 0, text.length());
    }

    /** True if the pattern consists of wildcards {@code *} only (matches every text). */
    boolean matchesAll() {
        return matchesAll;
    }

    /** True if the pattern has no wildcard position. */
    boolean literalOnly() {
        return literalOnly;
    }

    /**
     * ARN matching (§3.3, §5.2 Arn*): the first five {@code :}-separated fields and the remainder
     * are matched separately, so a {@code *} in the first five fields cannot span a {@code :}. A
     * pattern or text with fewer than six fields never matches.
     */
    boolean matchesArn(CharSequence text) {
        if (colons.length < 5) {
            return false;
        }
        int pStart = 0;
        int tStart = 0;
        int len = text.length();
        for (int field = 0; field < 5; field++) {
            int tColon = indexOf(text, ':', tStart, len);
            if (tColon < 0) {
                return false;
            }
            if (!matchRange(pStart, colons[field], text, tStart, tColon)) {
                return false;
            }
            pStart = colons[field] + 1;
            tStart = tColon + 1;
        }
        return matchRange(pStart, chars.length, text, tStart, len);
    }

    private static int indexOf(CharSequence text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private boolean matchRange(int ps, int pe, CharSequence text, int ts, int te) {
        int p = ps;
        int t = ts;
        int starP = -1;
        int starT = 0;
        while (t < te) {
            if (p < pe && kinds[p] == ONE) {
                p++;
                t++;
            } else if (p < pe && kinds[p] == LIT && same(chars[p], text.charAt(t))) {
                p++;
                t++;
            } else if (p < pe && kinds[p] == STAR) {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pe && kinds[p] == STAR) {
            p++;
        }
        return p == pe;
    }

    private boolean same(char patternChar, char textChar) {
        return patternChar == (ignoreCase ? Character.toLowerCase(textChar) : textChar);
    }

    @Override
    public String toString() {
        return source;
    }
}
