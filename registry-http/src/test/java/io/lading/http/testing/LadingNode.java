package io.lading.http.testing;

import java.net.URI;

/**
 * A running Lading that tests talk to over HTTP: in this JVM ({@link LadingServer}) or in a child process
 * ({@link LadingProcess}). The address may change across a restart, so clients ask for it per request.
 */
public interface LadingNode {

    /** The port it listens on. */
    int port();

    /** {@code http://127.0.0.1:<port>} */
    default URI baseUri() {
        return URI.create("http://" + hostPort());
    }

    /** {@code 127.0.0.1:<port>}, the registry host as image references name it. */
    default String hostPort() {
        return "127.0.0.1:" + port();
    }
}
