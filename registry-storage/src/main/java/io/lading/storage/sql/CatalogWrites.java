package io.lading.storage.sql;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link CachedMetadataCatalog} runs a local write: the delegate's write, then, in {@code finally} (a
 * write that fails may still have committed), the invalidation of every entry it can have made stale and
 * the hand-over of its {@link CatalogChange} to the listener (a listener that throws is logged and counted).
 */
final class CatalogWrites {

    private static final Logger LOG = LoggerFactory.getLogger(CachedMetadataCatalog.class);

    private final CatalogInvalidation invalidation;
    private final Consumer<CatalogChange> listener;
    private final LongAdder listenerFailures = new LongAdder();

    CatalogWrites(CatalogInvalidation invalidation, Consumer<CatalogChange> listener) {
        this.invalidation = invalidation;
        this.listener = listener;
    }

    /** Changes the listener threw on. */
    long listenerFailures() {
        return listenerFailures.sum();
    }

    /** Runs {@code op}, then publishes the change {@code change} makes of its result (null if it threw). */
    <T> T write(Supplier<T> op, Function<T, CatalogChange> change) {
        T result = null;
        try {
            result = op.get();
            return result;
        } finally {
            changed(change.apply(result));
        }
    }

    /** Invalidates what {@code change} can have made stale, then hands it to the listener. */
    void changed(CatalogChange change) {
        invalidation.invalidate(change);
        try {
            listener.accept(change);
        } catch (RuntimeException e) {
            listenerFailures.increment();
            LOG.warn("Could not publish catalog change {}: {}", change, e.toString());
        }
    }
}
