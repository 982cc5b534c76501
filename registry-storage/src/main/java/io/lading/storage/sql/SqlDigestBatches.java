package io.lading.storage.sql;

import static io.lading.storage.sql.SqlStatements.digests;

import io.lading.core.digest.Digest;
import java.util.List;
import java.util.Set;

/**
 * Look-ups over a collection of digests for {@link SqlMetadataCatalog}'s parts and {@link SqlBlobMarks}: at most
 * {@link #REFERENCE_BATCH} distinct digests per statement, each an {@code IN} list of {@link #marks} parameters.
 */
final class SqlDigestBatches {

    /** At most this many digests per look-up statement (far below either engine's parameter limit). */
    static final int REFERENCE_BATCH = 500;

    private SqlDigestBatches() {
    }

    /** The digests {@code query} returns for {@code digests}, asked {@link #REFERENCE_BATCH} distinct ones at a time. */
    static Set<Digest> inBatches(java.util.Collection<Digest> digests,
            java.util.function.Function<List<String>, List<String>> query) {
        List<String> all = digests.stream().map(Digest::toString).distinct().toList();
        Set<Digest> out = new java.util.HashSet<>();
        for (int from = 0; from < all.size(); from += REFERENCE_BATCH) {
            out.addAll(digests(query.apply(all.subList(from, Math.min(from + REFERENCE_BATCH, all.size())))));
        }
        return out;
    }

    /** {@code n} parameter marks for an {@code IN} list: {@code ?, ?, ...}. */
    static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
