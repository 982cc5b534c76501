package io.lading.http.server;

import java.util.Map;

/**
 * The result of routing a request head: the route, its path parameters and the API family whose
 * error renderer and common headers apply.
 */
public record RouteMatch(Route route, Map<String, String> params, ApiFamily family) {
}
