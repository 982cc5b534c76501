package io.lading.http.ecr.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.spi.LifecyclePreviewStore.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries written newest first come back in listing order: push time ascending, then digest ascending. */
class PreviewSpillTest {

    private static final Instant T = Instant.parse("2026-12-07T10:00:00.000001Z");

    @TempDir
    Path dir;

    private static Entry entry(String digest, boolean tagged) {
        // JSON of varying lengths, non-ASCII included, so that records are not all one size
        return new Entry(digest, tagged, "{\"imageDigest\":\"" + digest + "\",\"imageTags\":[\"" + "é".repeat(digest.length())
                + "\"]}");
    }

    private static List<Entry> all(Iterable<Entry> entries) {
        List<Entry> out = new ArrayList<>();
        entries.forEach(out::add);
        return out;
    }

    @Test
    void readsBackInListingOrderWithEqualPushTimesByDigestAscendingAndAgainOnEachIteration() {
        Path file = dir.resolve("spill");
        try (PreviewSpill spill = new PreviewSpill(file)) {
            // the evaluation's order: push time descending, digest ascending
            spill.add(entry("sha256:d", true), T.plusSeconds(3));
            spill.add(entry("sha256:a", false), T.plusSeconds(2));
            spill.add(entry("sha256:bb", true), T.plusSeconds(2));
            spill.add(entry("sha256:c", false), T.plusSeconds(2));
            spill.add(entry("sha256:e", true), T.plusSeconds(1));
            spill.add(entry("sha256:f", true), T);
            spill.add(entry("sha256:g", false), T);
            assertEquals(7, spill.count());
            List<Entry> expected = List.of(entry("sha256:f", true), entry("sha256:g", false), entry("sha256:e", true),
                    entry("sha256:a", false), entry("sha256:bb", true), entry("sha256:c", false), entry("sha256:d", true));
            Iterable<Entry> listing = spill.inListingOrder();
            assertEquals(expected, all(listing));
            assertEquals(expected, all(listing), "a retried transaction reads the same entries again");
            Iterator<Entry> unfinished = listing.iterator();
            unfinished.next();
            assertTrue(Files.exists(file));
        }
        assertFalse(Files.exists(file), "closing deletes the file, an unfinished reading too");
    }

    @Test
    void anEmptyPreviewAndOneOfASinglePushTime() {
        try (PreviewSpill spill = new PreviewSpill(dir.resolve("empty"))) {
            assertEquals(List.of(), all(spill.inListingOrder()));
        }
        try (PreviewSpill spill = new PreviewSpill(dir.resolve("one time"))) {
            List<Entry> expected = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                Entry e = entry(String.format("sha256:%04d", i), i % 2 == 0);
                spill.add(e, T);
                expected.add(e);
            }
            assertEquals(expected, all(spill.inListingOrder()));
        }
    }
}
