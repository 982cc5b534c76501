package io.lading.auth.policy;

/**
 * The sentence of an AccessDenied response (spec §10), used verbatim by both the ECR JSON API
 * ({@code AccessDeniedException}) and the {@code /v2} API ({@code DENIED}):
 *
 * <pre>
 * User: &lt;principal&gt; is not authorized to perform: &lt;action&gt; on resource: &lt;resource&gt; &lt;reason&gt;
 * </pre>
 *
 * <p>The principal is the request principal ARN (session ARN for role sessions). Stateless and
 * thread-safe.
 */
public final class AccessDeniedMessage {

    private AccessDeniedMessage() {
    }

    /**
     * The message for a denied request.
     *
     * @throws IllegalArgumentException if {@code decision} is an allow
     */
    public static String of(RequestContext ctx, Decision decision) {
        return of(ctx.callerArn(), ctx.action(), ctx.resource(), decision);
    }

    /**
     * The message for a denied request given its parts.
     *
     * @throws IllegalArgumentException if {@code decision} is an allow
     */
    public static String of(String principalArn, String action, String resource, Decision decision) {
        if (decision.allowed()) {
            throw new IllegalArgumentException("the decision is an allow");
        }
        return "User: " + principalArn + " is not authorized to perform: " + action + " on resource: " + resource + " "
                + decision.reason().phrase(action);
    }
}
