package io.lading.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.error.RegistryException.ParameterInvalid;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PaginationTest {

    static final int CAP = 1000;

    @ParameterizedTest
    @NullAndEmptySource
    void absentPageSizeMeansTheCap(String n) {
        assertEquals(CAP, Pagination.pageSize(n, CAP));
    }

    static Stream<Arguments> pageSizes() {
        return Stream.of(
                Arguments.of("0", 0),
                Arguments.of("1", 1),
                Arguments.of("007", 7),
                Arguments.of("999", 999),
                Arguments.of("1000", 1000),
                Arguments.of("1001", CAP),
                Arguments.of("2147483647", CAP),
                Arguments.of("2147483648", CAP),          // over Integer.MAX_VALUE
                Arguments.of("999999999999", CAP),         // 12 digits
                Arguments.of("9999999999999", CAP),        // 13 digits, never parsed
                Arguments.of("9223372036854775807", CAP),
                Arguments.of("9223372036854775808", CAP),  // over Long.MAX_VALUE
                Arguments.of("1" + "0".repeat(10_000), CAP),
                Arguments.of("0".repeat(20) + "5", CAP));  // leading zeros: long, treated as huge (still capped)
    }

    @ParameterizedTest
    @MethodSource("pageSizes")
    void parsesAndCapsPageSize(String n, int expected) {
        assertEquals(expected, Pagination.pageSize(n, CAP));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-0", "+1", "abc", "1e3", "1.5", "1.0", "0x10", " 1", "1 ", "1\n", "1,000", "1_000",
        "NaN", "Infinity", "-", " ", "\t", "1a", "a1", "%31", "\u0000", "-9223372036854775808", "99999999999999999999x"})
    void rejectsNegativeOrNonNumericPageSize(String n) {
        ParameterInvalid e = assertThrows(ParameterInvalid.class, () -> Pagination.pageSize(n, CAP));
        assertEquals("n", e.parameter());
    }

    static NavigableSet<String> keys(String... k) {
        return new TreeSet<>(List.of(k));
    }

    static final NavigableSet<String> ABCDE = keys("a", "b", "c", "d", "e");

    static Stream<Arguments> pages() {
        return Stream.of(
                // last absent
                Arguments.of(null, 2, List.of("a", "b"), "b"),
                Arguments.of("", 2, List.of("a", "b"), "b"),
                Arguments.of(null, 5, List.of("a", "b", "c", "d", "e"), null),   // exact fit: no more
                Arguments.of(null, 4, List.of("a", "b", "c", "d"), "d"),
                Arguments.of(null, 6, List.of("a", "b", "c", "d", "e"), null),
                Arguments.of(null, 1000, List.of("a", "b", "c", "d", "e"), null),
                Arguments.of(null, Integer.MAX_VALUE, List.of("a", "b", "c", "d", "e"), null),
                Arguments.of(null, 0, List.of(), null),
                // last before all elements
                Arguments.of("0", 2, List.of("a", "b"), "b"),
                Arguments.of("A", 10, List.of("a", "b", "c", "d", "e"), null),
                // last at an element: strictly after it
                Arguments.of("a", 2, List.of("b", "c"), "c"),
                Arguments.of("b", 3, List.of("c", "d", "e"), null),            // exact end of list
                Arguments.of("c", 1, List.of("d"), "d"),
                Arguments.of("d", 1, List.of("e"), null),
                Arguments.of("e", 2, List.of(), null),
                // last between elements (not itself a key)
                Arguments.of("bb", 2, List.of("c", "d"), "d"),
                Arguments.of("a\u0000", 1, List.of("b"), "b"),
                // last after all elements
                Arguments.of("f", 2, List.of(), null),
                Arguments.of("\uffff", 2, List.of(), null),
                Arguments.of("zzzz", 1, List.of(), null));
    }

    @ParameterizedTest
    @MethodSource("pages")
    void pagesStrictlyAfterLast(String last, int size, List<String> items, String marker) {
        Page<String> page = Pagination.page(ABCDE, last, size);
        assertEquals(items, page.items());
        assertEquals(marker, page.last());
        assertEquals(marker != null, page.hasMore());
    }

    @Test
    void emptySetYieldsEmptyPageWithoutMarker() {
        Page<String> page = Pagination.page(keys(), null, 10);
        assertEquals(List.of(), page.items());
        assertNull(page.last());
        assertFalse(page.hasMore());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 10, 11, 99, 100, 101})
    void followingTheMarkerVisitsEveryKeyExactlyOnce(int size) {
        NavigableSet<String> all = new TreeSet<>();
        for (int i = 0; i < 100; i++) {
            all.add(String.format("repo-%03d", i));
        }
        List<String> seen = new ArrayList<>();
        String last = null;
        int pages = 0;
        do {
            Page<String> p = Pagination.page(all, last, size);
            assertTrue(p.items().size() <= size);
            if (p.hasMore()) {
                assertEquals(size, p.items().size(), "only full pages carry a marker");
                assertEquals(p.items().get(p.items().size() - 1), p.last());
            }
            seen.addAll(p.items());
            last = p.last();
            pages++;
            assertTrue(pages <= 101, "pagination does not terminate");
        } while (last != null);
        assertEquals(new ArrayList<>(all), seen);
        assertEquals(Math.max(1, (100 + size - 1) / size), pages);
    }

    @Test
    void pageDoesNotAliasTheSourceSet() {
        NavigableSet<String> set = keys("a", "b", "c");
        Page<String> p = Pagination.page(set, null, 2);
        set.clear();
        assertEquals(List.of("a", "b"), p.items());
    }
}
