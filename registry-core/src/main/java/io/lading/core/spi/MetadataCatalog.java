package io.lading.core.spi;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.TagImmutable;
import io.lading.core.image.ImageRecord;
import io.lading.core.image.ImageSummary;
import io.lading.core.repository.RepositoryRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * The registry's repository metadata as relations: repositories, the blobs linked into each, images
 * (manifests with their children, referenced blobs and subject) and tags. The SQL engines in
 * {@code registry-storage} implement it over normalised tables; every query here is an indexed look-up
 * or an indexed page, so nothing needs the whole catalog in memory.
 *
 * <p>Every method is atomic on its own (one transaction). Methods that check before they write (create,
 * compare-and-swap, {@link #setTag}, {@link #removeImage}) check inside that transaction, so two
 * writers (threads or nodes) never both win. A write is durable when the method returns. Thread-safe.
 *
 * <p>Repositories are addressed by the id {@link #createRepository} assigned; an id is never reused, so
 * a write with the id of a deleted repository changes nothing (and never touches a new repository of the
 * same name). Names, tags and digests are passed validated; pages are in ascending binary (code point)
 * order of the key named, and {@code after} (exclusive) may be null for the first page.
 */
public interface MetadataCatalog {

    // ---- repositories ----

    /** The repository named {@code name}, or empty. */
    Optional<StoredRepository> repository(String name);

    /** Creates the repository; empty, changing nothing, if the name exists. */
    Optional<StoredRepository> createRepository(String name, RepositoryRecord record);

    /**
     * Replaces the repository's settings if its version is still {@code expectedVersion}; returns the
     * stored repository with its next version, or empty, changing nothing, if it changed or is gone.
     */
    Optional<StoredRepository> updateRepository(long id, long expectedVersion, RepositoryRecord record);

    /** Deletes the repository with its links, images and tags. Returns false if it did not exist. */
    boolean deleteRepository(long id);

    /** One page of repository names. */
    List<String> repositoryNames(String after, int limit);

    // ---- blobs linked into a repository ----

    /** The link of {@code digest} into the repository, or empty. */
    Optional<BlobLink> link(long repository, Digest digest);

    /**
     * Links the blob (or refreshes the link's time if linked). Does nothing if the repository is gone.
     *
     * @throws io.lading.core.error.RegistryException.BlobUnknown if the blob's bytes are gone (garbage
     *     collection deleted them since the caller looked; its repository in the exception is empty):
     *     nothing was linked
     */
    void putLink(long repository, Digest digest, long size, Instant linkedAt);

    /** Removes the repository's link to the blob, if any. */
    void removeLink(long repository, Digest digest);

    /** Removes the blob's link from every repository; returns how many links went. */
    int removeLinksEverywhere(Digest digest);

    /** The newest link time of the blob in any repository, or empty if no repository links it. */
    Optional<Instant> newestLink(Digest digest);

    /** Whether some image of the repository references the blob (as config or layer). */
    boolean referencedInRepository(long repository, Digest blob);

    /** Whether some image of any repository needs the blob: as config, layer or its own content blob. */
    boolean referencedAnywhere(Digest blob);

    // ---- images ----

    /** The image, or empty. */
    Optional<ImageRecord> image(long repository, Digest digest);

    /**
     * Stores the image if the repository has none with its digest; returns what is stored afterwards (the
     * existing record wins, so a re-push keeps its first push time). Empty if the repository is gone.
     *
     * @throws io.lading.core.error.RegistryException.ManifestBlobUnknown naming the content blob and the
     *     referenced blobs whose bytes are gone (garbage collection deleted them since the caller checked):
     *     nothing was stored
     */
    Optional<ImageRecord> putImage(long repository, ImageRecord record);

    /** Records a pull time (last writer wins). Does nothing if the image is gone. */
    void setLastPulledAt(long repository, Digest digest, Instant at);

    /**
     * Removes the image and the tags that name it, unless an index in the repository lists it.
     *
     * @return the tags removed with it, in tag order
     * @throws io.lading.core.error.RegistryException.ReferencedByIndex if an index lists it (nothing changes)
     * @throws io.lading.core.error.RegistryException.ManifestUnknown if the repository has no such image
     */
    List<String> removeImage(long repository, Digest digest);

    /** One page of the repository's images, in digest order. */
    List<ImageRecord> images(long repository, Digest after, int limit);

    /**
     * The same page as {@link #images} without the images' blob and child lists: what listings show. A
     * catalog overrides it to read less than {@link #images} does.
     */
    default List<ImageSummary> imageSummaries(long repository, Digest after, int limit) {
        return images(repository, after, limit).stream().map(ImageSummary::of).toList();
    }

    /**
     * One page of the repository's images, newest push first: push time descending, then digest ascending
     * (the order lifecycle rules rank images in), after {@code after} (exclusive: the last image of the
     * previous page; null for the first page). Pages read one after another may see writes made between
     * them: an image pushed meanwhile is newer than any cursor, so it is not seen.
     */
    List<ImageSummary> imageSummariesNewestFirst(long repository, ImageSummary after, int limit);

    /** Whether the repository has at least one image. */
    boolean hasImages(long repository);

    /** The indexes of the repository that list {@code child}. */
    Set<Digest> parents(long repository, Digest child);

    /**
     * Those of {@code digests} that some index of the repository lists; a catalog overrides it to look
     * them up in a few statements rather than one per digest.
     */
    default Set<Digest> listedByIndex(long repository, Collection<Digest> digests) {
        Set<Digest> out = new HashSet<>();
        for (Digest d : digests) {
            if (!parents(repository, d).isEmpty()) {
                out.add(d);
            }
        }
        return out;
    }

    /** The images of the repository whose subject is {@code subject}, in digest order. */
    List<Digest> referrers(long repository, Digest subject);

    // ---- tags ----

    /** The digest the tag names, or empty. */
    Optional<Digest> tag(long repository, String tag);

    /** One page of the repository's tags with the digests they name. */
    List<TagEntry> tags(long repository, String after, int limit);

    /** The tags that name {@code digest}, in tag order. */
    List<String> tagsOf(long repository, Digest digest);

    /**
     * {@link #tagsOf} of each of {@code digests} (an untagged one maps to an empty list): a backend answers a
     * page of images in a few queries.
     */
    default Map<Digest, List<String>> tagsOf(long repository, Collection<Digest> digests) {
        Map<Digest, List<String>> out = new HashMap<>();
        for (Digest d : digests) {
            out.put(d, tagsOf(repository, d));
        }
        return out;
    }

    /**
     * Points the tag at {@code digest}, an image of the repository.
     *
     * @param mayMove whether a tag that names another digest may be moved (the repository's mutability)
     * @return the digest it named before, or empty if it is new
     * @throws TagImmutable if it names another digest and {@code mayMove} is false (nothing changes)
     * @throws io.lading.core.error.RegistryException.ManifestUnknown if the image is not in the repository
     */
    Optional<Digest> setTag(long repository, String tag, Digest digest, Instant at, boolean mayMove);

    /** Removes the tag; returns false if it did not exist. */
    boolean removeTag(long repository, String tag);

    /** A repository as stored: its id, name, settings and the version {@link #updateRepository} compares. */
    record StoredRepository(long id, String name, RepositoryRecord record, long version) {
    }

    /**
     * A blob linked into a repository: its size, and when it was last uploaded, mounted or linked there
     * (the start of its garbage-collection grace period).
     */
    record BlobLink(long size, Instant linkedAt) {
    }

    /** A tag and the image digest it names. */
    record TagEntry(String tag, Digest digest) {
    }
}
