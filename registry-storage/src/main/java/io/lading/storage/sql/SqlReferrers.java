package io.lading.storage.sql;

import static io.lading.storage.sql.SqlDigestBatches.inBatches;
import static io.lading.storage.sql.SqlDigestBatches.marks;
import static io.lading.storage.sql.SqlStatements.digests;
import static io.lading.storage.sql.SqlStatements.strings;

import io.lading.core.digest.Digest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which images point at an image, for {@link SqlMetadataCatalog}: the indexes that list it
 * ({@code manifest_children}) and the referrers whose subject it is ({@code manifests.subject_digest}).
 */
record SqlReferrers(SqlTransactions tx) {

    Set<Digest> listedByIndex(long repository, java.util.Collection<Digest> digests) {
        return inBatches(digests, batch -> {
            Object[] args = new Object[batch.size() + 1];
            args[0] = repository;
            for (int i = 0; i < batch.size(); i++) {
                args[i + 1] = batch.get(i);
            }
            return tx.read(c -> strings(c, "SELECT DISTINCT child_digest FROM manifest_children WHERE repository_id = ?"
                    + " AND child_digest IN (" + marks(batch.size()) + ")", args));
        });
    }

    Set<Digest> parents(long repository, Digest child) {
        return tx.read(c -> new LinkedHashSet<>(digests(strings(c, "SELECT DISTINCT parent_digest FROM manifest_children"
                + " WHERE repository_id = ? AND child_digest = ? ORDER BY parent_digest", repository, child.toString()))));
    }

    List<Digest> referrers(long repository, Digest subject) {
        return tx.read(c -> digests(strings(c, "SELECT digest FROM manifests WHERE repository_id = ? AND subject_digest = ?"
                + " ORDER BY digest", repository, subject.toString())));
    }
}
