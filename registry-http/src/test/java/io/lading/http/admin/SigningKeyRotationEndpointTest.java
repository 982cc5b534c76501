package io.lading.http.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lading.auth.token.SigningKeyRing;
import io.lading.core.spi.SecretStore;
import io.lading.http.oci.OciErrorException;
import io.lading.storage.sql.SqlDatabase;
import io.lading.storage.sql.SqlSecrets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rotation endpoint's answers when it does not go through the server: a race with another node. */
class SigningKeyRotationEndpointTest {

    @TempDir
    Path root;

    @Test
    void aRotationThatRacedAnotherNodeIs409AndDoesNotRunTheHook() {
        try (SqlDatabase nodeA = SqlDatabase.sqlite(root.resolve("metadata.db"), 2);
                SqlDatabase nodeB = SqlDatabase.sqlite(root.resolve("metadata.db"), 2)) {
            SecretStore shared = new SqlSecrets(nodeA);
            SigningKeyRing otherProcess = new SigningKeyRing(new SqlSecrets(nodeB), Clock.systemUTC());
            SecretStore racing = new SecretStore() {
                private boolean raced;

                @Override
                public Optional<Versioned> get(String name) {
                    return shared.get(name);
                }

                @Override
                public boolean createIfAbsent(String name, byte[] value) {
                    return shared.createIfAbsent(name, value);
                }

                @Override
                public boolean replace(String name, long expectedVersion, byte[] value) {
                    if (!raced) {
                        raced = true;
                        otherProcess.rotate();
                    }
                    return shared.replace(name, expectedVersion, value);
                }
            };
            rotateAgainstTheRace(racing, otherProcess, shared);
        }
    }

    private static void rotateAgainstTheRace(SecretStore racing, SigningKeyRing otherProcess, SecretStore shared) {
        SigningKeyRing ring = new SigningKeyRing(racing, Clock.systemUTC());
        ring.currentKey();
        AtomicInteger hooks = new AtomicInteger();
        AdminEndpoint endpoint = SigningKeyRotation.endpoint(ring, hooks::incrementAndGet);

        OciErrorException conflict = assertThrows(OciErrorException.class, () -> endpoint.handler().apply(null));
        assertEquals(409, conflict.error().status());
        assertEquals(0, hooks.get());
        assertEquals(otherProcess.currentKeyId(), ring.currentKeyId());

        SigningKeyRing.Rotation rotation = (SigningKeyRing.Rotation) endpoint.handler().apply(null);
        assertEquals(1, hooks.get());
        assertEquals(rotation.keyId(), new SigningKeyRing(shared, Clock.systemUTC()).currentKeyId());
    }
}
