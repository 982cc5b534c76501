package io.lading.http.server;

/** Stands in for a route when routing itself failed, so the failure is rendered like any other. */
record FailingRoute(RuntimeException failure) implements Route {
    @Override
    public BodyMode bodyMode() {
        return BodyMode.NONE;
    }

    @Override
    public Response handle(Exchange exchange) {
        throw failure;
    }
}
