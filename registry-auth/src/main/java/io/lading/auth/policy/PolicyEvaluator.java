package io.lading.auth.policy;

/**
 * The decision algorithm of spec §9: explicit deny anywhere wins; otherwise same-account requests
 * need an identity allow or a direct resource-policy allow, cross-account requests need both an
 * identity-side and a resource-side allow; the root user of the owning account is allowed unless
 * explicitly denied.
 *
 * <p>Which policies are consulted (§8): every identity policy given; the repository policy only
 * when the request resource is an ARN (never for actions whose resource is {@code *}); the
 * registry policy when its scope covers the action. The caller must pass the repository policy
 * of the request resource itself.
 *
 * <p>Pure, stateless and thread-safe; a decision allocates nothing unless a policy variable is
 * substituted. Future policy types (SCPs, permission boundaries, session policies, §9.5) would
 * plug in between the explicit-deny step and the root check. Service principals (replication,
 * pull-through cache; spec §3.4 [DEC]) have no identity side: they are allowed only by a resource
 * policy that names their service (or {@code *}); otherwise the reason is "no resource-based
 * policy".
 *
 * <pre>{@code
 * Decision d = PolicyEvaluator.decide(ctx, policies);
 * if (!d.allowed()) throw accessDenied(AccessDeniedMessage.of(ctx, d));
 * }</pre>
 */
public final class PolicyEvaluator {

    private PolicyEvaluator() {
    }

    /** Decides {@code ctx.action()} on {@code ctx.resource()} for {@code ctx}'s principal. */
    public static Decision decide(RequestContext ctx, AttachedPolicies policies) {
        boolean idAllow = false;
        for (PolicyDocument policy : policies.identity()) {
            for (Statement s : policy.statements()) {
                if (s.applies(ctx) != PrincipalPattern.NONE) {
                    if (!s.allow()) {
                        return Decision.DENIED_BY_IDENTITY;
                    }
                    idAllow = true;
                }
            }
        }
        boolean arnResource = !ctx.resource().equals("*");
        int resourceAllow = PrincipalPattern.NONE;
        if (arnResource && policies.repository() != null) {
            int r = resourceSide(policies.repository(), ctx);
            if (r < 0) {
                return Decision.DENIED_BY_RESOURCE;
            }
            resourceAllow = r;
        }
        if (policies.registry() != null && policies.registryScope().consults(ctx.action())) {
            int r = resourceSide(policies.registry(), ctx);
            if (r < 0) {
                return Decision.DENIED_BY_RESOURCE;
            }
            resourceAllow = Math.max(resourceAllow, r);
        }
        if (ctx.principalType() == PrincipalType.SERVICE) {
            // service principals have no identity policies: a resource policy naming them decides
            return resourceAllow == PrincipalPattern.DIRECT ? Decision.ALLOW : Decision.NO_RESOURCE_ALLOW;
        }
        boolean sameAccount = arnResource
                ? accountFieldEquals(ctx.resource(), ctx.principalAccount())
                : policies.registryAccount().equals(ctx.principalAccount());
        if (sameAccount && ctx.principalType() == PrincipalType.ACCOUNT) {
            return Decision.ALLOW;
        }
        if (sameAccount) {
            return idAllow || resourceAllow == PrincipalPattern.DIRECT ? Decision.ALLOW : Decision.NO_IDENTITY_ALLOW;
        }
        boolean identitySide = idAllow || ctx.principalType() == PrincipalType.ACCOUNT;
        if (!identitySide) {
            return Decision.NO_IDENTITY_ALLOW;
        }
        return resourceAllow != PrincipalPattern.NONE ? Decision.ALLOW : Decision.NO_RESOURCE_ALLOW;
    }

    /**
     * The strongest allow kind of a resource policy, or -1 if one of its Deny statements applies
     * (any principal kind: a Deny naming an account covers all its principals, §9).
     */
    private static int resourceSide(PolicyDocument policy, RequestContext ctx) {
        int best = PrincipalPattern.NONE;
        for (Statement s : policy.statements()) {
            int kind = s.applies(ctx);
            if (kind == PrincipalPattern.NONE) {
                continue;
            }
            if (!s.allow()) {
                return -1;
            }
            best = Math.max(best, kind);
        }
        return best;
    }

    /** Whether the account field (fifth) of {@code arn} equals {@code account}, without allocating. */
    static boolean accountFieldEquals(String arn, String account) {
        int from = 0;
        for (int i = 0; i < 4; i++) {
            from = arn.indexOf(':', from) + 1;
            if (from == 0) {
                return false;
            }
        }
        int end = arn.indexOf(':', from);
        return end - from == account.length() && arn.regionMatches(from, account, 0, account.length());
    }
}
