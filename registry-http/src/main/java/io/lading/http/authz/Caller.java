package io.lading.http.authz;

import io.lading.core.identity.Principal;

/**
 * Who sends a request and from where: the parts of the request context (spec iam-policy.md §6) that come
 * from the connection rather than from the operation. Immutable.
 *
 * @param principal the authenticated caller, or null for an anonymous {@code /v2} pull
 * @param sourceIp {@code aws:SourceIp}: the peer address of the connection (no proxy is trusted), or null
 * @param userAgent {@code aws:UserAgent}; null is read as the empty string
 */
public record Caller(Principal principal, String sourceIp, String userAgent) {

    /** Whether nobody authenticated (anonymous pull). */
    public boolean anonymous() {
        return principal == null;
    }
}
