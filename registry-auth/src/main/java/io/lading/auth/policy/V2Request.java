package io.lading.auth.policy;

/**
 * The kinds of Docker Registry HTTP API V2 request (spec §12), abstracted from HTTP so that
 * {@link RegistryApiActions} can map each to the ECR actions it needs.
 *
 * <p>Immutable; thread-safe.
 */
public enum V2Request {
    /** {@code GET /v2/}: authentication only. */
    BASE,
    /** {@code GET /v2/_catalog}: evaluated per repository. */
    CATALOG,
    /** {@code GET /v2/<name>/tags/list}. */
    TAGS_LIST,
    /** {@code GET /v2/<name>/manifests/<ref>}. */
    MANIFEST_GET,
    /** {@code HEAD /v2/<name>/manifests/<ref>}. */
    MANIFEST_HEAD,
    /** {@code PUT /v2/<name>/manifests/<ref>}. */
    MANIFEST_PUT,
    /** {@code DELETE /v2/<name>/manifests/<digest>}. */
    MANIFEST_DELETE,
    /** {@code GET /v2/<name>/blobs/<digest>}. */
    BLOB_GET,
    /** {@code HEAD /v2/<name>/blobs/<digest>}. */
    BLOB_HEAD,
    /** {@code DELETE /v2/<name>/blobs/<digest>}: unsupported (405). */
    BLOB_DELETE,
    /** {@code POST /v2/<name>/blobs/uploads/}. */
    UPLOAD_START,
    /** {@code POST /v2/<name>/blobs/uploads/?digest=<d>} (monolithic upload). */
    UPLOAD_MONOLITHIC,
    /** {@code PATCH /v2/<name>/blobs/uploads/<uuid>}. */
    UPLOAD_CHUNK,
    /** {@code PUT /v2/<name>/blobs/uploads/<uuid>?digest=<d>} without a body. */
    UPLOAD_COMPLETE,
    /** {@code PUT /v2/<name>/blobs/uploads/<uuid>?digest=<d>} carrying the last bytes. */
    UPLOAD_COMPLETE_WITH_DATA,
    /** {@code GET /v2/<name>/blobs/uploads/<uuid>}. */
    UPLOAD_STATUS,
    /** {@code DELETE /v2/<name>/blobs/uploads/<uuid>}. */
    UPLOAD_CANCEL,
    /** {@code POST /v2/<name>/blobs/uploads/?mount=<d>&from=<src>}. */
    BLOB_MOUNT,
    /** {@code GET /v2/<name>/referrers/<digest>}. */
    REFERRERS
}
