package io.lading.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The last lifecycle policy preview of each repository (StartLifecyclePolicyPreview, read back by
 * GetLifecyclePolicyPreview), kept in the metadata database so that any node answers for it and no node
 * holds a preview in memory. A preview's entries are opaque text to the store (the wire's JSON of one
 * {@code previewResults} element) with what a reader filters on: the image digest and whether the image
 * had tags. A repository's preview goes with the repository. Thread-safe; several nodes may share it.
 */
public interface LifecyclePreviewStore {

    /**
     * What a preview is.
     *
     * @param policyText the policy it evaluated
     * @param createdAt when it ran (the snapshot instant)
     * @param summary the wire's {@code summary} JSON
     * @param entryCount how many entries it has
     */
    record Header(String policyText, Instant createdAt, String summary, int entryCount) {
    }

    /**
     * One entry.
     *
     * @param imageDigest the image it acts on
     * @param tagged whether the image had at least one tag at snapshot time
     * @param json the wire's {@code previewResults} element
     */
    record Entry(String imageDigest, boolean tagged, String json) {
    }

    /** An entry with its position in the preview (0, 1, ... in the order {@link #replace} was given them). */
    record Numbered(int position, Entry entry) {
    }

    /**
     * Makes {@code header} and {@code entries} (in order; a store may iterate them more than once, as a retried
     * transaction does, so they must be the same each time) the repository's preview, in place of
     * the one before. Atomic: readers see the old preview or the new one whole; of two concurrent
     * replacements one wins whole.
     *
     * @return false, storing nothing, if the repository does not exist
     */
    boolean replace(long repository, Header header, Iterable<Entry> entries);

    /** The repository's preview, or empty if it has none. */
    Optional<Header> header(long repository);

    /**
     * Entries after position {@code after} (-1 for the first), in position order, at most {@code limit}: of
     * tagged images ({@code tagged} true), untagged ones (false) or all (null).
     */
    List<Numbered> entries(long repository, Boolean tagged, int after, int limit);
}
