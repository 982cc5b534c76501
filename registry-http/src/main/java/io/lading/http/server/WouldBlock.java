package io.lading.http.server;

/**
 * Thrown by a route running on the event loop ({@link Exchange#inline()}) when answering would need
 * blocking I/O; the front end then runs the route again on a worker thread. Stackless singleton.
 */
public final class WouldBlock extends RuntimeException {

    public static final WouldBlock INSTANCE = new WouldBlock();

    private WouldBlock() {
        super("would block", null, false, false);
    }
}
