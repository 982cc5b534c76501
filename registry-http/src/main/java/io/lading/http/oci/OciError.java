package io.lading.http.oci;

import java.util.List;

/**
 * One or more errors of one status, ready to render as {@code {"errors":[{code,message,detail}]}}.
 * All entries share the first entry's HTTP status.
 */
public record OciError(OciErrorCode code, String message, Object detail, List<OciError> more) {

    public OciError(OciErrorCode code, String message, Object detail) {
        this(code, message, detail, List.of());
    }

    public int status() {
        return code.status();
    }
}
