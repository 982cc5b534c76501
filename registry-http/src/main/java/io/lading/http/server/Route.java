package io.lading.http.server;

/**
 * A matched request handler. {@link #handle} runs on a virtual thread, calls one service method and
 * returns the response; errors are thrown as domain exceptions and rendered by the API family's
 * renderer. Routes never write to the channel.
 */
public interface Route {

    BodyMode bodyMode();

    /** Upper bound for {@link BodyMode#AGGREGATE} bodies, in bytes. */
    default int maxBodyBytes() {
        return 0;
    }

    /**
     * Upper bound for a {@link BodyMode#STREAM} body: a request whose {@code Content-Length} is larger is
     * answered {@code 413} from its head, before any of the body is read.
     */
    default long maxStreamBytes() {
        return Long.MAX_VALUE;
    }

    Response handle(Exchange exchange) throws Exception;

    /**
     * Whether to try this route on the event loop first. Such a route answers from memory; when it
     * would need I/O (a cache miss, opening a file) it throws {@link WouldBlock} and is run again on a
     * worker thread. {@link Exchange#inline()} tells it which case it is in.
     */
    default boolean inlineFirst() {
        return false;
    }
}
