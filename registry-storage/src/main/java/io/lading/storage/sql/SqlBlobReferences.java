package io.lading.storage.sql;

import static io.lading.storage.sql.SqlStatements.exists;

import io.lading.core.digest.Digest;

/**
 * Which images need a blob, for {@link SqlMetadataCatalog}: the {@code manifest_blobs} references (config
 * and layers) and the manifests' own content blobs, in one repository or in any.
 */
record SqlBlobReferences(SqlTransactions tx) {

    boolean referencedInRepository(long repository, Digest blob) {
        return tx.read(c -> exists(c, "SELECT 1 FROM manifest_blobs WHERE repository_id = ? AND blob_digest = ?",
                repository, blob.toString()));
    }

    boolean referencedAnywhere(Digest blob) {
        return tx.read(c -> exists(c, "SELECT 1 FROM manifest_blobs WHERE blob_digest = ?", blob.toString())
                || exists(c, "SELECT 1 FROM manifests WHERE content_digest = ?", blob.toString()));
    }
}
