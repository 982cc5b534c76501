package io.lading.storage.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.digest.Digest;
import io.lading.storage.sql.CatalogChange.ImageChanged;
import io.lading.storage.sql.CatalogChange.ImageRemoved;
import io.lading.storage.sql.CatalogChange.LinkChanged;
import io.lading.storage.sql.CatalogChange.LinksRemoved;
import io.lading.storage.sql.CatalogChange.RepositoryCreated;
import io.lading.storage.sql.CatalogChange.RepositoryDeleted;
import io.lading.storage.sql.CatalogChange.RepositoryUpdated;
import io.lading.storage.sql.CatalogChange.TagChanged;
import io.lading.storage.sql.ChangeFeedCodec.Notice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeFeedCodecTest {

    private static final String NODE = "5f0c3b9e-8d47-4e43-9a55-0b9a1f0e2c11";
    private final ChangeFeedCodec codec = new ChangeFeedCodec(NODE);
    private final Digest digest = Digest.sha256("m".getBytes(StandardCharsets.UTF_8));

    private Notice roundTrip(CatalogChange change) {
        String payload = codec.encode(change);
        assertTrue(payload.getBytes(StandardCharsets.UTF_8).length <= ChangeFeedCodec.MAX_PAYLOAD_BYTES, payload);
        return ChangeFeedCodec.decode(payload);
    }

    @Test
    void everyKindOfChangeRoundTripsWithItsNode() {
        List<CatalogChange> all = List.of(new RepositoryCreated("team/app"), new RepositoryUpdated(7, "team/app"),
                new RepositoryUpdated(7, null), new RepositoryDeleted(Long.MAX_VALUE), new LinkChanged(3, digest),
                new LinksRemoved(digest), new ImageChanged(3, digest), new ImageRemoved(3, digest, List.of("v1", "latest")),
                new ImageRemoved(3, digest, List.of()), new ImageRemoved(3, digest, null), new TagChanged(3, "v1.2_rc-3"));
        assertEquals(CatalogChange.class.getPermittedSubclasses().length, all.stream().map(Object::getClass).distinct().count(),
                "a case for every kind of change");
        for (CatalogChange c : all) {
            assertEquals(new Notice(NODE, Optional.of(c)), roundTrip(c));
        }
        assertEquals(new Notice(NODE, Optional.empty()), ChangeFeedCodec.decode(codec.encodeEverything()));
    }

    @Test
    void payloadsAreAsciiSoTheirLengthIsTheirBytesInAnyEncoding() {
        String payload = codec.encode(new RepositoryCreated("équipe/app\u0000\"\\"));
        assertTrue(payload.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f), payload);
        assertEquals(new RepositoryCreated("équipe/app\u0000\"\\"), ChangeFeedCodec.decode(payload).change().orElseThrow());
    }

    @Test
    void anImageRemovalWithTooManyTagsDropsItsTagListSoReceiversDropEveryTagNamingTheDigest() {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            tags.add("release-candidate-build-number-" + i);
        }
        CatalogChange change = new ImageRemoved(3, digest, tags);
        assertTrue(String.join("\",\"", tags).length() > ChangeFeedCodec.MAX_PAYLOAD_BYTES, "the list does not fit");
        assertTrue(codec.encode(new ImageRemoved(3, digest, tags.subList(0, 10))).length() < 1000);
        assertEquals(Optional.of(new ImageRemoved(3, digest, null)), roundTrip(change).change());
    }

    @Test
    void aRepositoryUpdateWithAHugeNameDropsTheNameAndAnythingElseTooLargeBecomesEverything() {
        String huge = "x".repeat(ChangeFeedCodec.MAX_PAYLOAD_BYTES);
        assertEquals(Optional.of(new RepositoryUpdated(9, null)), roundTrip(new RepositoryUpdated(9, huge)).change());
        assertEquals(Optional.empty(), roundTrip(new RepositoryCreated(huge)).change());
        assertEquals(Optional.empty(), roundTrip(new TagChanged(9, huge)).change());
        // escapes count: 1,400 characters that each take six bytes as JSON escapes
        assertEquals(Optional.empty(), roundTrip(new TagChanged(9, "é".repeat(1400))).change());
    }

    @Test
    void theLargestPayloadThatFitsIsKept() {
        String prefix = codec.encode(new TagChanged(9, ""));
        String tag = "t".repeat(ChangeFeedCodec.MAX_PAYLOAD_BYTES - prefix.length());
        String payload = codec.encode(new TagChanged(9, tag));
        assertEquals(ChangeFeedCodec.MAX_PAYLOAD_BYTES, payload.length());
        assertEquals(Optional.of(new TagChanged(9, tag)), ChangeFeedCodec.decode(payload).change());
        assertEquals(Optional.empty(), roundTrip(new TagChanged(9, tag + "t")).change());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "null", "{\"kind\":\"tag\",\"repo\":1,\"tag\":\"v\"}",
            "{\"node\":\"n\",\"kind\":\"tagg\",\"repo\":1,\"tag\":\"v\"}", "{\"node\":\"n\",\"kind\":\"tag\",\"repo\":\"1\",\"tag\":\"v\"}",
            "{\"node\":\"n\",\"kind\":\"tag\",\"repo\":1.5,\"tag\":\"v\"}", "{\"node\":\"n\",\"kind\":\"link\",\"repo\":1,\"digest\":\"sha256:zz\"}",
            "{\"node\":\"n\",\"kind\":\"imageRemoved\",\"repo\":1,\"digest\":\"sha256:zz\",\"tags\":\"v1\"}",
            "{\"node\":\"n\",\"kind\":\"repoDeleted\",\"id\":123456789012345678901234567890}", "{\"node\":\"n\",\"kind\":\"repoCreated\"}"})
    void garbledOrUnknownPayloadsAreRefused(String payload) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChangeFeedCodec.decode(payload));
        assertTrue(e.getMessage().startsWith("garbled change notification"), e.getMessage());
    }

    @Test
    void nodeIdsAreShortEnoughForEveryChangeToDegradeToAPayloadThatFits() {
        assertThrows(IllegalArgumentException.class, () -> new ChangeFeedCodec(""));
        assertThrows(IllegalArgumentException.class, () -> new ChangeFeedCodec("n".repeat(ChangeFeedCodec.MAX_NODE_LENGTH + 1)));
        String longest = "n".repeat(ChangeFeedCodec.MAX_NODE_LENGTH);
        assertTrue(new ChangeFeedCodec(longest).encodeEverything().length() < ChangeFeedCodec.MAX_PAYLOAD_BYTES);
    }
}
