package io.lading.auth.policy;

import java.util.List;

/**
 * One compiled statement (spec §2, §7): effect, action patterns, resource patterns, principal and
 * conditions, all precompiled so that relevance checks allocate nothing unless a policy variable
 * must be substituted.
 *
 * <p>Immutable and thread-safe.
 */
final class Statement {

    private final String sid;
    private final boolean allow;
    private final List<String> actionPatterns;
    private final Glob[] actions;
    private final boolean notAction;
    private final boolean everyAction;
    /** Null for repository policies (the statement applies to the repository itself). */
    private final Template[] resources;
    private final boolean notResource;
    /** Null for identity policies. */
    private final PrincipalPattern principal;
    private final Condition[] conditions;

    Statement(String sid, boolean allow, List<String> actionPatterns, boolean notAction, List<Template> resources,
            boolean notResource, PrincipalPattern principal, List<Condition> conditions) {
        this.sid = sid;
        this.allow = allow;
        this.actionPatterns = List.copyOf(actionPatterns);
        this.actions = actionPatterns.stream().map(a -> Glob.of(a, true)).toArray(Glob[]::new);
        this.notAction = notAction;
        this.everyAction = !notAction && actionPatterns.contains("*");
        this.resources = resources == null ? null : resources.toArray(Template[]::new);
        this.notResource = notResource;
        this.principal = principal;
        this.conditions = conditions.toArray(Condition[]::new);
    }

    String sid() {
        return sid;
    }

    boolean allow() {
        return allow;
    }

    boolean notAction() {
        return notAction;
    }

    List<String> actionPatterns() {
        return actionPatterns;
    }

    /** The Resource/NotResource patterns as written, or an empty list for repository policies. */
    List<String> resourcePatterns() {
        return resources == null ? List.of() : java.util.Arrays.stream(resources).map(Template::raw).toList();
    }

    PrincipalPattern principal() {
        return principal;
    }

    /** Rule 1 of §7 (§3.2): Action matches any / NotAction matches none. */
    boolean matchesAction(String action) {
        if (everyAction) {
            return true;
        }
        boolean any = false;
        for (Glob g : actions) {
            if (g.matches(action)) {
                any = true;
                break;
            }
        }
        return any != notAction;
    }

    /** Rule 2 of §7 (§3.3). */
    boolean matchesResource(RequestContext ctx) {
        String resource = ctx.resource();
        if (resources == null) {
            return !resource.equals("*");
        }
        boolean any = false;
        for (Template pattern : resources) {
            if (resourceMatches(pattern, resource, ctx)) {
                any = true;
                break;
            }
        }
        return any != notResource;
    }

    private static boolean resourceMatches(Template pattern, String resource, RequestContext ctx) {
        if (pattern.raw().equals("*")) {
            return true;
        }
        if (resource.equals("*")) {
            return false;
        }
        Glob glob = pattern.resolveGlob(ctx);
        return glob != null && glob.matchesArn(resource);
    }

    /** Rule 3 of §7: the principal match kind (see {@link PrincipalPattern}). */
    int principalMatch(RequestContext ctx) {
        return principal == null ? PrincipalPattern.DIRECT : principal.match(ctx);
    }

    /** Rule 4 of §7: every condition holds. */
    boolean conditionsHold(RequestContext ctx) {
        for (Condition c : conditions) {
            if (!c.test(ctx)) {
                return false;
            }
        }
        return true;
    }

    /**
     * How this statement applies to the request: {@link PrincipalPattern#NONE} if it does not,
     * otherwise the principal match kind (always {@link PrincipalPattern#DIRECT} for identity
     * statements).
     */
    int applies(RequestContext ctx) {
        if (!matchesAction(ctx.action())) {
            return PrincipalPattern.NONE;
        }
        int kind = principalMatch(ctx);
        if (kind == PrincipalPattern.NONE || !matchesResource(ctx) || !conditionsHold(ctx)) {
            return PrincipalPattern.NONE;
        }
        return kind;
    }

    @Override
    public String toString() {
        return (sid == null ? "" : sid + ":") + (allow ? "Allow" : "Deny") + (notAction ? " NotAction " : " ")
                + actionPatterns;
    }
}
