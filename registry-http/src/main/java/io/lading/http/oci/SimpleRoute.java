package io.lading.http.oci;

import io.lading.http.server.BodyMode;
import io.lading.http.server.Exchange;
import io.lading.http.server.Response;
import io.lading.http.server.Route;

/** A route that reads no body, defined by a function. */
public record SimpleRoute(Handler handler) implements Route {

    /** The route's work. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Exchange exchange) throws Exception;
    }

    @Override
    public BodyMode bodyMode() {
        return BodyMode.NONE;
    }

    @Override
    public Response handle(Exchange exchange) throws Exception {
        return handler.handle(exchange);
    }
}
