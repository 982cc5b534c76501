package io.lading.core.catalog;

import java.util.List;

/**
 * One page of a lexically ordered list.
 *
 * @param items the page's items
 * @param last the last item when more items follow (pass it as {@code last} for the next page), else null
 */
public record Page<T>(List<T> items, String last) {

    public boolean hasMore() {
        return last != null;
    }
}
