package io.lading.http.ecr;

import io.lading.auth.sigv4.SigV4Verifier;
import io.lading.auth.sigv4.SignedRequest;
import io.lading.core.identity.Principal;

/** Authenticates a control-plane request (SigV4). Throws {@code AuthenticationFailed} when it cannot. */
public interface EcrAuthenticator {

    /** The principal that signed the whole request (head and body). */
    Principal authenticate(SignedRequest request);

    /**
     * Refuses, from the request head alone and before any body is read, a request that can never
     * authenticate (no or malformed signature, unknown key, wrong scope, clock skew). Must be cheap and
     * answer from memory: it runs on the event loop. Its payload hash is meaningless and not looked at.
     */
    void precheck(SignedRequest head);

    /** SigV4 through {@code verifier}. */
    static EcrAuthenticator sigV4(SigV4Verifier verifier) {
        return new EcrAuthenticator() {
            @Override
            public Principal authenticate(SignedRequest request) {
                return verifier.verify(request);
            }

            @Override
            public void precheck(SignedRequest head) {
                verifier.precheck(head);
            }
        };
    }
}
