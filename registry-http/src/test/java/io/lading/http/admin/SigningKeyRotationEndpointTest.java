package io.lading.http.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lading.auth.token.SigningKeyRing;
import io.lading.core.spi.MetadataStore;
import io.lading.http.oci.OciErrorException;
import io.lading.storage.local.LocalDiskMetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rotation endpoint's answers when it does not go through the server: a race with another process. */
class SigningKeyRotationEndpointTest {

    @TempDir
    Path root;

    @Test
    void aRotationThatRacedAnotherProcessIs409AndDoesNotRunTheHook() {
        MetadataStore shared = new LocalDiskMetadataStore(root);
        SigningKeyRing otherProcess = new SigningKeyRing(shared, Clock.systemUTC());
        MetadataStore racing = new MetadataStore() {
            private boolean raced;

            @Override
            public Optional<Versioned> get(String key) {
                return shared.get(key);
            }

            @Override
            public boolean createIfAbsent(String key, byte[] value) {
                return shared.createIfAbsent(key, value);
            }

            @Override
            public boolean replace(String key, String expectedVersion, byte[] value) {
                if (!raced) {
                    raced = true;
                    otherProcess.rotate();
                }
                return shared.replace(key, expectedVersion, value);
            }

            @Override
            public void put(String key, byte[] value) {
                shared.put(key, value);
            }

            @Override
            public boolean delete(String key, String expectedVersion) {
                return shared.delete(key, expectedVersion);
            }

            @Override
            public void delete(String key) {
                shared.delete(key);
            }

            @Override
            public List<String> list(String prefix) {
                return shared.list(prefix);
            }

            @Override
            public Optional<io.lading.core.spi.QuarantinedDocument> quarantine(String key, String reason,
                    java.time.Instant now) {
                return shared.quarantine(key, reason, now);
            }

            @Override
            public List<io.lading.core.spi.QuarantinedDocument> quarantined() {
                return shared.quarantined();
            }
        };
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
