package io.lading.http.oci;

/**
 * Every error the {@code /v2} API sends, once: its distribution-spec code string, HTTP status and
 * default message. Handlers never choose a status or build an error body themselves.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes">Error codes</a>
 */
public enum OciErrorCode {
    BLOB_UNKNOWN("BLOB_UNKNOWN", 404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID("BLOB_UPLOAD_INVALID", 400, "blob upload invalid"),
    BLOB_UPLOAD_RANGE_INVALID("BLOB_UPLOAD_INVALID", 416, "requested range does not continue the upload"),
    BLOB_UPLOAD_UNKNOWN("BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry"),
    RANGE_NOT_SATISFIABLE("BLOB_UNKNOWN", 416, "requested range not satisfiable"),
    DIGEST_INVALID("DIGEST_INVALID", 400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN("MANIFEST_BLOB_UNKNOWN", 400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID("MANIFEST_INVALID", 400, "manifest invalid"),
    MANIFEST_UNKNOWN("MANIFEST_UNKNOWN", 404, "manifest unknown to registry"),
    MANIFEST_UNSUPPORTED("UNSUPPORTED", 405, "manifest type unsupported"),
    NAME_INVALID("NAME_INVALID", 400, "invalid repository name"),
    NAME_UNKNOWN("NAME_UNKNOWN", 404, "repository name not known to registry"),
    SIZE_INVALID("SIZE_INVALID", 400, "provided length did not match content length"),
    TAG_INVALID("TAG_INVALID", 400, "manifest tag did not match URI"),
    PAGINATION_NUMBER_INVALID("PAGINATION_NUMBER_INVALID", 400, "invalid number of results requested"),
    UNAUTHORIZED("UNAUTHORIZED", 401, "authentication required"),
    DENIED("DENIED", 403, "requested access to the resource is denied"),
    UNSUPPORTED("UNSUPPORTED", 405, "the operation is unsupported"),
    REFERENCED_BY_INDEX("UNSUPPORTED", 400, "image is referenced by a manifest list"),
    ROUTE_UNKNOWN("UNSUPPORTED", 404, "the requested endpoint does not exist"),
    METHOD_NOT_ALLOWED("UNSUPPORTED", 405, "the method is not allowed on this endpoint"),
    PARAMETER_INVALID("UNSUPPORTED", 400, "invalid query parameter"),
    CONCURRENT_CHANGE("UNSUPPORTED", 409, "another process changed the resource at the same time"),
    REQUEST_MALFORMED("UNSUPPORTED", 400, "malformed HTTP request"),
    REQUEST_LINE_TOO_LONG("UNSUPPORTED", 414, "request line too long"),
    HEADERS_TOO_LARGE("UNSUPPORTED", 431, "request headers too large"),
    BODY_TOO_LARGE("SIZE_INVALID", 413, "request body too large"),
    TOO_MANY_REQUESTS("TOOMANYREQUESTS", 429, "Rate exceeded"),
    INTERNAL("UNKNOWN", 500, "internal server error"),
    STORAGE_UNAVAILABLE("UNKNOWN", 503, "storage backend unavailable");

    private final String code;
    private final int status;
    private final String message;

    OciErrorCode(String code, int status, String message) {
        this.code = code;
        this.status = status;
        this.message = message;
    }

    /** The code string in the error body. */
    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String defaultMessage() {
        return message;
    }

    /** An error of this code with a specific message and detail. */
    public OciError error(String message, Object detail) {
        return new OciError(this, message == null ? this.message : message, detail);
    }

    public OciError error() {
        return new OciError(this, message, null);
    }
}
