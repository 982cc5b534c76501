package io.lading.core.catalog;

import io.lading.core.error.RegistryException.ParameterInvalid;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;

/** Paging over lexically ordered keys with the distribution spec's {@code n} and {@code last}. */
public final class Pagination {

    private Pagination() {
    }

    /**
     * Parses the client's {@code n}: absent means {@code cap}; a value over {@code cap} is capped (never used
     * to size anything); a negative or non-numeric value is an error.
     */
    public static int pageSize(String n, int cap) {
        if (n == null || n.isEmpty()) {
            return cap;
        }
        if (!n.chars().allMatch(Character::isDigit)) {
            throw new ParameterInvalid("n", "n must be a non-negative integer");
        }
        if (n.length() > 12) {
            return cap; // too long to parse, certainly over the cap
        }
        long value = Long.parseLong(n);
        return (int) Math.min(value, cap);
    }

    /** The page of {@code keys} strictly after {@code last}, at most {@code size} long. */
    public static Page<String> page(NavigableSet<String> keys, String last, int size) {
        return page(keys, last, size, null);
    }

    /**
     * The page of the keys {@code include} accepts, strictly after {@code last}, at most {@code size} long
     * (a null {@code include} accepts all). Rejected keys neither count nor show in the page.
     */
    public static Page<String> page(NavigableSet<String> keys, String last, int size,
            java.util.function.Predicate<String> include) {
        NavigableSet<String> tail = last == null || last.isEmpty() ? keys : keys.tailSet(last, false);
        List<String> items = new ArrayList<>(Math.min(size, 64));
        for (String k : tail) {
            if (include != null && !include.test(k)) {
                continue;
            }
            if (items.size() == size) {
                return new Page<>(items, items.isEmpty() ? null : items.get(items.size() - 1));
            }
            items.add(k);
        }
        return new Page<>(items, null);
    }

    /** Pages of lexically ordered keys read from a store: the keys strictly after {@code after}, at most {@code limit}. */
    @FunctionalInterface
    public interface Source {
        List<String> after(String after, int limit);
    }

    /**
     * As {@link #page(NavigableSet, String, int, java.util.function.Predicate)}, reading {@code source} a
     * chunk at a time, so no more than a chunk of keys is in memory whatever the number of keys.
     */
    public static Page<String> page(Source source, String last, int size, java.util.function.Predicate<String> include) {
        int chunk = Math.max(Math.min(size + 1, 1000), 100);
        String after = last == null || last.isEmpty() ? null : last;
        List<String> items = new ArrayList<>(Math.min(size, 64));
        while (true) {
            List<String> keys = source.after(after, chunk);
            for (String k : keys) {
                if (include != null && !include.test(k)) {
                    continue;
                }
                if (items.size() == size) {
                    return new Page<>(items, items.isEmpty() ? null : items.get(items.size() - 1));
                }
                items.add(k);
            }
            if (keys.size() < chunk) {
                return new Page<>(items, null);
            }
            after = keys.get(keys.size() - 1);
        }
    }
}
