package io.lading.http.ecr;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of implemented ECR operations. Feature classes register their handlers here; an
 * operation without a handler is answered with {@code ValidationException} ("not supported"), never a
 * 404, so SDKs can parse the answer.
 */
public final class EcrOperations {

    private final EnumMap<EcrOperation, EcrHandler> handlers = new EnumMap<>(EcrOperation.class);

    /** Registers the handler of one operation; each operation is registered at most once. */
    public EcrOperations register(EcrOperation operation, EcrHandler handler) {
        if (handlers.putIfAbsent(operation, handler) != null) {
            throw new IllegalStateException(operation + " registered twice");
        }
        return this;
    }

    public Optional<EcrHandler> handler(EcrOperation operation) {
        return Optional.ofNullable(handlers.get(operation));
    }

    public boolean implemented(EcrOperation operation) {
        return handlers.containsKey(operation);
    }

    public Map<EcrOperation, EcrHandler> all() {
        return Collections.unmodifiableMap(handlers);
    }
}
