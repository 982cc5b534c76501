package io.lading.http.admin;

import io.lading.auth.token.SigningKeyRing;
import io.lading.http.oci.OciErrorCode;
import io.lading.http.oci.OciErrorException;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;

/**
 * {@code POST /_lading/rotate-signing-key}: makes a new password signing key current and keeps the old one
 * for verification only (see {@link SigningKeyRing#rotate()}). This server signs with the new key from
 * the next request on. Answers the {@link SigningKeyRing.Rotation} report (key ids and time, never a
 * key); a rotation that raced another process's is {@code 409} and changes nothing.
 */
public final class SigningKeyRotation {

    /** The endpoint's name under {@code /_lading/}. */
    public static final String NAME = "rotate-signing-key";

    private SigningKeyRotation() {
    }

    /**
     * The operator endpoint that rotates {@code ring}.
     *
     * @param rotated run after each rotation, e.g. to forget cached password verifications, so that the
     *     retired key's passwords are refused from the next request on
     */
    public static AdminEndpoint endpoint(SigningKeyRing ring, Runnable rotated) {
        return new AdminEndpoint(NAME, HttpMethod.POST, Map.of(), ex -> {
            try {
                SigningKeyRing.Rotation rotation = ring.rotate();
                rotated.run();
                return rotation;
            } catch (SigningKeyRing.ConcurrentRotation e) {
                throw new OciErrorException(OciErrorCode.CONCURRENT_CHANGE.error(e.getMessage(), null));
            }
        });
    }
}
