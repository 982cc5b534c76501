package io.lading.core.referrer;

import io.lading.core.digest.Digest;
import io.lading.core.image.ImageRecord;
import io.lading.core.manifest.Descriptor;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The OCI 1.1 referrers API: manifests in a repository whose {@code subject} is a given digest,
 * optionally filtered by artifact type. Answers from memory. Thread-safe.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers">Listing referrers</a>
 */
public final class ReferrersService {

    private final RepositoryIndex index;

    public ReferrersService(RepositoryIndex index) {
        this.index = index;
    }

    /**
     * Descriptors of the referrers of {@code subject}, ordered by digest. An unknown subject has none.
     *
     * @param artifactType only referrers of this artifact type, or null for all
     */
    public List<Descriptor> list(RepositoryName name, Digest subject, String artifactType) {
        RepositoryState repo = index.require(name);
        List<Descriptor> out = new ArrayList<>();
        for (Digest d : repo.referrersOf(subject)) {
            ImageRecord r = repo.image(d).orElse(null);
            if (r == null || (artifactType != null && !artifactType.equals(r.artifactType()))) {
                continue;
            }
            out.add(new Descriptor(r.mediaType(), r.digest(), r.manifestSize(), r.artifactType(), null,
                    r.annotations(), null));
        }
        out.sort(Comparator.comparing(Descriptor::digest));
        return out;
    }
}
