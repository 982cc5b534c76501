package io.lading.http;

import io.lading.core.Registry;
import io.lading.http.config.LadingConfig;
import io.lading.http.oci.OciApi;
import io.lading.http.server.Dispatcher;
import io.lading.http.server.RegistryServer;
import io.lading.storage.local.LocalDiskBlobStore;
import io.lading.storage.local.LocalDiskMetadataStore;
import io.lading.storage.local.LocalDiskUploadStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running registry: stores, services, the HTTP server and background tasks, wired from a config. */
public final class Lading implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Lading.class);

    private final RegistryServer server;
    private final ScheduledExecutorService background;
    private final Registry registry;
    private final int port;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Lading(RegistryServer server, ScheduledExecutorService background, Registry registry, int port) {
        this.server = server;
        this.background = background;
        this.registry = registry;
        this.port = port;
    }

    /** Opens the stores under {@code storage.root}, loads metadata and starts serving. */
    public static Lading start(LadingConfig config) throws Exception {
        Path root = config.storage().root().toAbsolutePath().normalize();
        Files.createDirectories(root);
        Registry registry = Registry.open(new LocalDiskMetadataStore(root), new LocalDiskBlobStore(root),
                new LocalDiskUploadStore(root), config.registry().settings(), Clock.systemUTC());
        RegistryServer server = new RegistryServer(new Dispatcher(List.of(new OciApi(registry))),
                config.server().settings());
        int port = server.start();
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("background").daemon().factory());
        long every = config.registry().uploadExpiryInterval().toSeconds();
        background.scheduleWithFixedDelay(() -> {
            try {
                registry.uploads().expire();
            } catch (RuntimeException e) {
                log.warn("Upload expiry failed: {}", e.toString());
            }
        }, every, every, TimeUnit.SECONDS);
        log.info("Lading listening on http://{}:{} (data in {})", config.server().host(), port, root);
        return new Lading(server, background, registry, port);
    }

    public int port() {
        return port;
    }

    public Registry registry() {
        return registry;
    }

    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        background.shutdownNow();
        server.close();
        stopped.countDown();
    }
}
