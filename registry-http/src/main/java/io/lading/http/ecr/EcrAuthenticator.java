package io.lading.http.ecr;

import io.lading.auth.sigv4.SignedRequest;
import io.lading.core.identity.Principal;

/** Authenticates a control-plane request (SigV4). Throws {@code AuthenticationFailed} when it cannot. */
@FunctionalInterface
public interface EcrAuthenticator {

    Principal authenticate(SignedRequest request);
}
