package io.lading.auth.token;

import java.util.List;
import javax.crypto.SecretKey;

/**
 * Supplies the HMAC-SHA256 key that registry passwords are signed with. Every node that answers
 * {@code /v2} requests must see the same key, or a password minted on one node fails on another.
 * Implementations must be thread-safe and fast after the first call (they are asked on every request).
 */
public interface SigningKeySource {

    /** The key new passwords are signed with. */
    SecretKey currentKey();

    /**
     * Every key a still-valid password may have been signed with, the current one first. A source that
     * rotates keys keeps the previous key here until the next rotation ({@link SigningKeyRing}), so that
     * outstanding passwords keep working across one rotation. The default has no rotation.
     */
    default List<SecretKey> verificationKeys() {
        return List.of(currentKey());
    }

    /**
     * Called by a verifier when a signature matched none of {@link #verificationKeys()}, before it refuses:
     * a source shared by several nodes reloads its keys (rate-limited, see {@link SigningKeyRing#refresh()})
     * in case another node rotated in the key that signed it. The default has nothing to reload.
     *
     * @return true if the keys changed, so the signature is worth checking again
     */
    default boolean refresh() {
        return false;
    }
}
