package io.lading.storage.sql;

import static io.lading.storage.sql.SqlDigestBatches.inBatches;
import static io.lading.storage.sql.SqlDigestBatches.marks;
import static io.lading.storage.sql.SqlStatements.exists;
import static io.lading.storage.sql.SqlStatements.strings;

import io.lading.core.digest.Digest;
import java.util.Set;

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

    Set<Digest> referencedAmong(java.util.Collection<Digest> blobs) {
        return inBatches(blobs, batch -> {
            String marks = marks(batch.size());
            Object[] args = new Object[batch.size() * 2];
            for (int i = 0; i < batch.size(); i++) {
                args[i] = batch.get(i);
                args[batch.size() + i] = batch.get(i);
            }
            return tx.read(c -> strings(c, "SELECT DISTINCT blob_digest FROM manifest_blobs WHERE blob_digest IN ("
                    + marks + ") UNION SELECT DISTINCT content_digest FROM manifests WHERE content_digest IN (" + marks + ")",
                    args));
        });
    }
}
