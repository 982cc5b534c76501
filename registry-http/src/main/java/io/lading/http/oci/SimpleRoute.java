package io.lading.http.oci;

import io.lading.http.server.BodyMode;
import io.lading.http.server.Exchange;
import io.lading.http.server.Response;
import io.lading.http.server.Route;

/**
 * A route that reads no body, defined by a function.
 *
 * @param inline whether to try it on the event loop first (see {@link Route#inlineFirst()})
 */
public record SimpleRoute(Handler handler, boolean inline) implements Route {

    public SimpleRoute(Handler handler) {
        this(handler, false);
    }

    /** A route that answers from memory and runs on the event loop unless it throws WouldBlock. */
    public static SimpleRoute inline(Handler handler) {
        return new SimpleRoute(handler, true);
    }

    @Override
    public boolean inlineFirst() {
        return inline;
    }

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
