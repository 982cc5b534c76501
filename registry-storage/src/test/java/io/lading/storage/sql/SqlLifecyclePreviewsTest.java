package io.lading.storage.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.repository.RepositoryRecord;
import io.lading.core.spi.LifecyclePreviewStore.Entry;
import io.lading.core.spi.LifecyclePreviewStore.Header;
import io.lading.core.spi.LifecyclePreviewStore.Numbered;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link SqlLifecyclePreviews} on both engines: whole replacement, pages, the tag filter, cascades. */
class SqlLifecyclePreviewsTest {

    private static final Instant T = Instant.parse("2026-12-07T10:15:30.123456Z");

    @TempDir
    Path dir;

    private static List<Entry> entries(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> new Entry(prefix + i, i % 3 != 0, "{\"n\":" + i + "}")).toList();
    }

    @ParameterizedTest
    @EnumSource(SqlEngine.class)
    void aPreviewIsReplacedWholeAndReadInPages(SqlEngine engine) throws Exception {
        try (SqlDatabase db = SqlTestDatabases.open(engine, dir)) {
            SqlMetadataCatalog catalog = new SqlMetadataCatalog(db, "123456789012");
            long repo = catalog.createRepository("team/app", RepositoryRecord.defaults(T)).orElseThrow().id();
            SqlLifecyclePreviews previews = new SqlLifecyclePreviews(db);
            assertEquals(Optional.empty(), previews.header(repo));

            Header first = new Header("{\"rules\":[]}", T, "{\"expiringImageTotalCount\":1200}", 1200);
            assertTrue(previews.replace(repo, first, entries("a", 1200)), "more entries than one insert batch");
            assertEquals(Optional.of(first), previews.header(repo));
            List<Numbered> all = new ArrayList<>();
            for (int after = -1; ; ) {
                List<Numbered> page = previews.entries(repo, null, after, 500);
                all.addAll(page);
                if (page.size() < 500) {
                    break;
                }
                after = page.get(page.size() - 1).position();
            }
            assertEquals(entries("a", 1200), all.stream().map(Numbered::entry).toList(), "in the order given");
            assertEquals(IntStream.range(0, 1200).boxed().toList(), all.stream().map(Numbered::position).toList());
            List<Numbered> untagged = previews.entries(repo, false, 2, 3);
            assertEquals(List.of(3, 6, 9), untagged.stream().map(Numbered::position).toList());
            assertTrue(previews.entries(repo, true, -1, 10).stream().allMatch(n -> n.entry().tagged()));

            Header second = new Header("{\"rules\":[1]}", T.plusSeconds(60), "{\"expiringImageTotalCount\":2}", 2);
            assertTrue(previews.replace(repo, second, entries("b", 2)));
            assertEquals(Optional.of(second), previews.header(repo));
            assertEquals(entries("b", 2), previews.entries(repo, null, -1, 10).stream().map(Numbered::entry).toList(),
                    "nothing of the first preview is left");

            Header wrong = new Header("{}", T, "{}", 5);
            assertThrows(IllegalArgumentException.class, () -> previews.replace(repo, wrong, entries("c", 3)));
            assertEquals(Optional.of(second), previews.header(repo), "a failed replacement changes nothing");
            assertEquals(2, previews.entries(repo, null, -1, 10).size());

            assertFalse(previews.replace(repo + 1000, first, entries("a", 1)), "no such repository");
            assertTrue(catalog.deleteRepository(repo));
            assertEquals(Optional.empty(), previews.header(repo), "the preview goes with its repository");
            assertEquals(List.of(), previews.entries(repo, null, -1, 10));
        }
    }
}
