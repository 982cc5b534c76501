package io.lading.http.server;

import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/** Picks the API family for a request head; the last family is the fallback for unclaimed requests. */
public final class Dispatcher {

    private final List<ApiFamily> families;

    public Dispatcher(List<ApiFamily> families) {
        if (families.isEmpty()) {
            throw new IllegalArgumentException("at least one API family");
        }
        this.families = List.copyOf(families);
    }

    ApiFamily familyFor(HttpRequest request, String path) {
        for (ApiFamily f : families) {
            if (f.claims(request, path)) {
                return f;
            }
        }
        return families.get(families.size() - 1);
    }
}
