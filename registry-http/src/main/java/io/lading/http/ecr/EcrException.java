package io.lading.http.ecr;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ECR API error with its type, message and any extra top-level members (e.g. {@code uploadId} and
 * {@code lastValidByteReceived} of {@code InvalidLayerPartException}). Stackless.
 */
public final class EcrException extends RuntimeException {

    private final EcrErrorType type;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    public EcrException(EcrErrorType type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public EcrErrorType type() {
        return type;
    }

    /** Adds a top-level member to the error body. */
    public EcrException with(String member, Object value) {
        if (value != null) {
            extra.put(member, value);
        }
        return this;
    }

    public Map<String, Object> extra() {
        return extra;
    }
}
