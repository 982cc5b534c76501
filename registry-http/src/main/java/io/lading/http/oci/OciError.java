package io.lading.http.oci;

import java.time.Duration;
import java.util.List;

/**
 * One or more errors of one status, ready to render as {@code {"errors":[{code,message,detail}]}}.
 * All entries share the first entry's HTTP status.
 *
 * @param retryAfter sent as {@code Retry-After} (whole seconds), or null
 */
public record OciError(OciErrorCode code, String message, Object detail, List<OciError> more, Duration retryAfter) {

    public OciError(OciErrorCode code, String message, Object detail) {
        this(code, message, detail, List.of());
    }

    public OciError(OciErrorCode code, String message, Object detail, List<OciError> more) {
        this(code, message, detail, more, null);
    }

    /** This error, telling the client to wait {@code wait} before trying again. */
    public OciError withRetryAfter(Duration wait) {
        return new OciError(code, message, detail, more, wait);
    }

    public int status() {
        return code.status();
    }
}
