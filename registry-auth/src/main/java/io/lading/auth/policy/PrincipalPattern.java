package io.lading.auth.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compiled {@code Principal} or {@code NotPrincipal} element of a resource-based statement
 * (spec §3.4). Entries are classified at parse time; matching compares strings exactly and
 * case-sensitively and allocates nothing.
 *
 * <p>Immutable and thread-safe.
 */
final class PrincipalPattern {

    /** No match. */
    static final int NONE = 0;
    /** The principal's account is named: a delegation, not a grant (§3.4). */
    static final int ACCOUNT = 1;
    /** {@code *}, or the user / role / session itself. */
    static final int DIRECT = 2;

    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    private static final Pattern IAM_ARN =
            Pattern.compile("arn:[a-z0-9-]+:iam::([0-9]{12}):(root|(user|role)/[\\w+=,.@/-]+)");
    private static final Pattern STS_ARN =
            Pattern.compile("arn:[a-z0-9-]+:sts::([0-9]{12}):assumed-role/[\\w+=,.@-]+/[\\w+=,.@-]+");

    private enum Kind { WILDCARD, ACCOUNT, ARN, SERVICE, NEVER }

    private record Entry(Kind kind, String value) {
    }

    private final Entry[] entries;
    private final boolean negated;

    private PrincipalPattern(List<Entry> entries, boolean negated) {
        this.entries = entries.toArray(Entry[]::new);
        this.negated = negated;
    }

    /** {@code "Principal": "*"}. */
    static PrincipalPattern wildcard(boolean negated) {
        return new PrincipalPattern(List.of(new Entry(Kind.WILDCARD, "*")), negated);
    }

    /**
     * Compiles a principal object ({@code {"AWS": [...], "Service": ...}}).
     *
     * @throws IllegalArgumentException on an unknown principal type, a partial wildcard or an
     *     {@code AWS} value that is not {@code *}, an account ID or an IAM/STS principal ARN
     */
    static PrincipalPattern of(Map<String, List<String>> byType, boolean negated) {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byType.entrySet()) {
            for (String value : e.getValue()) {
                entries.add(entry(e.getKey(), value));
            }
        }
        return new PrincipalPattern(entries, negated);
    }

    private static Entry entry(String type, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty principal");
        }
        boolean wild = value.indexOf('*') >= 0 || value.indexOf('?') >= 0;
        switch (type) {
            case "AWS" -> {
                if (value.equals("*")) {
                    return new Entry(Kind.WILDCARD, value);
                }
                if (wild) {
                    throw new IllegalArgumentException("partial wildcard in principal " + value);
                }
                if (ACCOUNT_ID.matcher(value).matches()) {
                    return new Entry(Kind.ACCOUNT, value);
                }
                Matcher iam = IAM_ARN.matcher(value);
                if (iam.matches()) {
                    return iam.group(2).equals("root") ? new Entry(Kind.ACCOUNT, iam.group(1)) : new Entry(Kind.ARN, value);
                }
                if (STS_ARN.matcher(value).matches()) {
                    return new Entry(Kind.ARN, value);
                }
                throw new IllegalArgumentException("invalid AWS principal " + value);
            }
            case "Service" -> {
                if (wild) {
                    throw new IllegalArgumentException("wildcard in service principal " + value);
                }
                return new Entry(Kind.SERVICE, value);
            }
            case "Federated", "CanonicalUser" -> {
                if (wild) {
                    throw new IllegalArgumentException("wildcard in principal " + value);
                }
                return new Entry(Kind.NEVER, value);
            }
            default -> throw new IllegalArgumentException("unknown principal type " + type);
        }
    }

    boolean negated() {
        return negated;
    }

    /** IAM user and role ARNs named by this element (for "Principal not found" checks). */
    List<String> namedIamArns() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.kind() == Kind.ARN && e.value().contains(":iam::")) {
                out.add(e.value());
            }
        }
        return out;
    }

    /**
     * How the request principal is matched: {@link #NONE}, {@link #ACCOUNT} or {@link #DIRECT}.
     * For {@code NotPrincipal}, {@link #DIRECT} unless every element of the caller's chain
     * ({@code [accountRoot]}, {@code [accountRoot, user]}, {@code [accountRoot, role, session]})
     * is listed, then {@link #NONE}.
     */
    int match(RequestContext ctx) {
        if (negated) {
            return excludes(ctx) ? NONE : DIRECT;
        }
        int best = NONE;
        for (Entry e : entries) {
            switch (e.kind()) {
                case WILDCARD -> {
                    return DIRECT;
                }
                case ACCOUNT -> {
                    if (ctx.principalType() != PrincipalType.SERVICE && e.value().equals(ctx.principalAccount())) {
                        best = ACCOUNT;
                    }
                }
                case ARN -> {
                    if (e.value().equals(ctx.callerArn()) || e.value().equals(ctx.principalArn())) {
                        return DIRECT;
                    }
                }
                case SERVICE -> {
                    if (ctx.principalType() == PrincipalType.SERVICE && e.value().equals(ctx.callerArn())) {
                        return DIRECT;
                    }
                }
                case NEVER -> {
                    // Federated and CanonicalUser principals never match [DEC]
                }
            }
        }
        return best;
    }

    private boolean excludes(RequestContext ctx) {
        return switch (ctx.principalType()) {
            case SERVICE -> lists(ctx, ctx.callerArn(), false);
            case ACCOUNT -> lists(ctx, null, true);
            case USER -> lists(ctx, null, true) && lists(ctx, ctx.principalArn(), false);
            case ASSUMED_ROLE -> lists(ctx, null, true) && lists(ctx, ctx.principalArn(), false)
                    && lists(ctx, ctx.callerArn(), false);
        };
    }

    private boolean lists(RequestContext ctx, String arn, boolean accountRoot) {
        for (Entry e : entries) {
            boolean listed = switch (e.kind()) {
                case WILDCARD -> true;
                case ACCOUNT -> accountRoot && e.value().equals(ctx.principalAccount());
                case ARN, SERVICE -> !accountRoot && e.value().equals(arn);
                case NEVER -> false;
            };
            if (listed) {
                return true;
            }
        }
        return false;
    }
}
