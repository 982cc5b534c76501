package io.lading.core.manifest;

import io.lading.core.RegistrySettings;
import io.lading.core.spi.BlobMarkStore;
import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.DigestInvalid;
import io.lading.core.error.RegistryException.ImageAlreadyExists;
import io.lading.core.error.RegistryException.LimitExceeded;
import io.lading.core.error.RegistryException.TagImmutable;
import io.lading.core.error.RegistryException.ManifestBlobUnknown;
import io.lading.core.error.RegistryException.ManifestInvalid;
import io.lading.core.error.RegistryException.ManifestUnknown;
import io.lading.core.error.RegistryException.ParameterInvalid;
import io.lading.core.error.RegistryException.ReferencedByIndex;
import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.image.ImageRecord;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryState;
import io.lading.core.spi.BlobContent;
import io.lading.core.spi.BlobStore;
import io.lading.core.tag.Reference;
import io.lading.core.tag.Tag;
import io.lading.core.upload.UploadService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Manifest push, pull and delete; one service for both APIs (the OCI {@code PUT /manifests} and ECR's
 * {@code PutImage} are the same operation). Pulls answer from the catalog's caches, and record their time
 * in the background ({@link PullTimeWriter}); {@link #close} finishes those writes. Thread-safe.
 */
public final class ManifestService implements AutoCloseable {

    /**
     * ECR's quota of tags per image, which AWS does not raise: a push that would give one image more is
     * refused ({@code LimitExceededException} on PutImage, {@code 403 DENIED} on /v2, as ECR answers for
     * its count quotas). Not {@code TAG_INVALID}: the tag itself is valid and may be pushed to another
     * image; clients such as docker print a {@code DENIED} message as it is, so users read ECR's text.
     */
    public static final int MAX_TAGS_PER_IMAGE = 1000;

    private final RepositoryIndex index;
    private final BlobStore blobs;
    private final UploadService uploads;
    private final BlobMarkStore marks;
    private final ManifestParser parser;
    private final ManifestCache cache;
    private final ManifestNegotiator negotiator;
    private final RegistrySettings settings;
    /** Pull times waiting to be written, at most: beyond, a pull's time is dropped (best effort). */
    private static final int PULL_TIMES_QUEUED = 4096;
    private final PullTimeWriter pullTimes;

    /** @param marks garbage collection's marks, which a push clears for every blob its manifest references */
    public ManifestService(RepositoryIndex index, BlobStore blobs, UploadService uploads, BlobMarkStore marks,
            RegistrySettings settings) {
        this.index = index;
        this.blobs = blobs;
        this.uploads = uploads;
        this.marks = marks;
        this.settings = settings;
        this.parser = new ManifestParser(settings.manifestMaxBytes(), settings.manifestMaxDescriptors());
        this.cache = new ManifestCache(settings.manifestCacheBytes());
        this.negotiator = new ManifestNegotiator();
        this.pullTimes = new PullTimeWriter(PULL_TIMES_QUEUED, Duration.ofSeconds(10));
    }

    /**
     * Stores a manifest and points {@code reference} (if a tag) and {@code extraTags} at it.
     *
     * @param declaredType the Content-Type / imageManifestMediaType the client sent, or null
     * @throws DigestInvalid if {@code reference} is a digest that differs from the content's
     * @throws ManifestBlobUnknown if referenced blobs or child manifests are not in the repository
     */
    public PushResult put(RepositoryName name, Reference reference, byte[] body, String declaredType,
            Collection<Tag> extraTags) {
        return put(name, reference, body, declaredType, extraTags, false);
    }

    /**
     * As {@link #put(RepositoryName, Reference, byte[], String, Collection)}; with {@code rejectUnchanged}
     * (ECR's PutImage) a push that changes nothing, because the image is stored and every tag already
     * names it, fails with {@link ImageAlreadyExists} instead of succeeding idempotently (the /v2 rule).
     */
    public PushResult put(RepositoryName name, Reference reference, byte[] body, String declaredType,
            Collection<Tag> extraTags, boolean rejectUnchanged) {
        Manifest manifest = parser.parse(body, declaredType);
        if (reference instanceof Reference.ByDigest byDigest && !byDigest.digest().equals(manifest.digest())) {
            throw new DigestInvalid("manifest digest " + manifest.digest() + " does not match " + byDigest.digest());
        }
        Set<Tag> tags = new LinkedHashSet<>();
        if (reference instanceof Reference.ByTag byTag) {
            tags.add(byTag.tag());
        }
        tags.addAll(extraTags);

        index.pushLock().lock();
        try {
            RepositoryState repo = uploads.pushTarget(name);
            repo.writeLock().lock();
            try {
                if (rejectUnchanged && repo.image(manifest.digest()).isPresent()
                        && tags.stream().allMatch(t -> repo.tag(t.value()).filter(manifest.digest()::equals).isPresent())) {
                    throw new ImageAlreadyExists(manifest.digest().toString(),
                            tags.isEmpty() ? "null" : tags.iterator().next().value(), name.value());
                }
                for (Tag tag : tags) {
                    // refuse before anything is stored, so a refused push leaves no untagged image behind;
                    // RepositoryIndex.setTag checks again inside its compare-and-swap for other nodes
                    Digest current = repo.tag(tag.value()).orElse(null);
                    if (current != null && !current.equals(manifest.digest())
                            && !repo.record().tagMutability().mayMove(tag.value())) {
                        throw new TagImmutable(tag.value(), name.value());
                    }
                }
                List<Tag> added = tags.stream()
                        .filter(t -> repo.tag(t.value()).filter(manifest.digest()::equals).isEmpty()).toList();
                if (!added.isEmpty() && repo.tagsOf(manifest.digest()).size() + added.size() > MAX_TAGS_PER_IMAGE) {
                    throw LimitExceeded.tagsPerImage(added.get(0).value(), name.value(), MAX_TAGS_PER_IMAGE);
                }
                adoptReferences(manifest);
                long imageSize = verifyReferences(repo, manifest);
                requireShallow(repo, manifest);
                Digest contentBlob = storeContent(name, manifest);
                Instant now = index.clock().instant();
                try {
                    index.putImage(repo, ImageRecord.of(manifest, contentBlob, imageSize, now));
                } catch (ManifestBlobUnknown e) {
                    if (!e.missing().equals(List.of(contentBlob))) {
                        throw e; // a layer or config collected since the check: the client uploads it again
                    }
                    // the stored copy of the manifest's own bytes was collected since storeContent looked:
                    // this push has the bytes, so it stores them again
                    storeContent(name, manifest);
                    index.putImage(repo, ImageRecord.of(manifest, contentBlob, imageSize, now));
                }
                for (Tag tag : tags) {
                    index.setTag(repo, tag, manifest.digest());
                }
            } finally {
                repo.writeLock().unlock();
            }
        } finally {
            index.pushLock().unlock();
        }
        cache.put(manifest.digest(), manifest.bytes());
        return new PushResult(manifest.digest(), manifest.subject() == null ? null : manifest.subject().digest());
    }

    /** Returns the image record for {@code reference}. @throws ManifestUnknown if there is none */
    public ImageRecord resolve(RepositoryName name, Reference reference) {
        RepositoryState repo = index.require(name);
        return resolve(repo, reference);
    }

    /**
     * The manifest to send for a GET or HEAD: the stored bytes, or a conversion when the client asked by
     * tag for types that exclude the stored one (see {@link ManifestNegotiator}).
     *
     * @param accepted the client's acceptable media types, merged from all Accept headers; may be empty
     * @param recordPull whether this is a pull that updates the image's last pull time (GET, not HEAD)
     */
    public ManifestContent get(RepositoryName name, Reference reference, List<String> accepted, boolean recordPull) {
        return get(name, reference, accepted, recordPull, true).orElseThrow();
    }

    /**
     * As {@link #get(RepositoryName, Reference, List, boolean)}; with {@code mayRead} false it answers only
     * from memory and returns empty when the manifest bytes would have to be read from the store.
     */
    public Optional<ManifestContent> get(RepositoryName name, Reference reference, List<String> accepted,
            boolean recordPull, boolean mayRead) {
        RepositoryState repo = index.require(name);
        ImageRecord record = resolve(repo, reference);
        byte[] bytes = mayRead ? content(record) : cache.get(record.digest());
        if (bytes == null) {
            return Optional.empty();
        }
        ManifestContent stored = new ManifestContent(record.digest(), record.mediaType(), bytes);
        if (recordPull) {
            recordPull(repo, record);
        }
        if (reference instanceof Reference.ByDigest) {
            return Optional.of(stored);
        }
        return Optional.of(negotiator.negotiate(stored, accepted));
    }

    /**
     * Deletes by digest (the image and every tag on it) or by tag (the tag only; the image stays).
     *
     * @throws ReferencedByIndex if an index in the repository lists the image
     */
    public void delete(RepositoryName name, Reference reference) {
        RepositoryState repo = index.require(name);
        repo.writeLock().lock();
        try {
            switch (reference) {
                case Reference.ByTag byTag -> {
                    if (repo.tag(byTag.tag().value()).isEmpty()) {
                        throw new ManifestUnknown(byTag.toString());
                    }
                    index.removeTag(repo, byTag.tag().value());
                }
                case Reference.ByDigest byDigest -> deleteImage(repo, byDigest.digest());
            }
        } finally {
            repo.writeLock().unlock();
        }
    }

    /** One (digest, tag) pair removed by {@link #deleteForApi}; {@code tag} is null for an untagged image. */
    public record Removed(Digest digest, String tag) {
    }

    /**
     * ECR's BatchDeleteImage for one identifier, atomically under the repository's write lock.
     * <ul>
     * <li>By tag (with or without {@code digest}): the tag is removed; if it was the image's last tag the
     *     image is removed too, unless an index in the repository lists it, in which case nothing changes.
     * <li>By digest only: the image and every tag on it are removed, unless an index lists it.
     * </ul>
     * Deleting an index never deletes its children.
     *
     * @param digest the image digest, or null
     * @param tag the tag, or null; at least one of {@code digest} and {@code tag} is given
     * @return what was removed, one entry per removed tag, or one digest-only entry for an untagged image
     * @throws ManifestUnknown if the tag or the digest is not in the repository
     * @throws ParameterInvalid (parameter {@code imageId}) if both are given and the tag names another digest
     * @throws ReferencedByIndex if the image would be removed but an index in the repository lists it
     */
    /**
     * Deletes an image (and all its tags) only if it is exactly as a lifecycle evaluation saw it: it still
     * exists, its tags are {@code expectedTags}, and no index in the repository references it. Checked under
     * the repository lock, so the expirer never acts on stale data (lifecycle-policy.md 8).
     *
     * @return whether the image was deleted
     */
    public boolean deleteIfUnchanged(RepositoryName name, Digest digest, Set<String> expectedTags) {
        RepositoryState repo = index.find(name).orElse(null);
        if (repo == null) {
            return false;
        }
        repo.writeLock().lock();
        try {
            if (repo.image(digest).isEmpty() || !repo.parentsOf(digest).isEmpty()) {
                return false;
            }
            if (!new java.util.HashSet<>(repo.tagsOf(digest)).equals(expectedTags)) {
                return false;
            }
            deleteImage(repo, digest);
            return true;
        } finally {
            repo.writeLock().unlock();
        }
    }

    public List<Removed> deleteForApi(RepositoryName name, Digest digest, Tag tag) {
        if (digest == null && tag == null) {
            throw new IllegalArgumentException("digest or tag required");
        }
        RepositoryState repo = index.require(name);
        repo.writeLock().lock();
        try {
            if (tag == null) {
                List<Removed> removed = deleteImage(repo, digest).stream().map(t -> new Removed(digest, t)).toList();
                return removed.isEmpty() ? List.of(new Removed(digest, null)) : removed;
            }
            Digest target = repo.tag(tag.value()).orElse(null);
            if (target == null) {
                throw new ManifestUnknown(tag.value());
            }
            if (digest != null && !digest.equals(target)) {
                throw new ParameterInvalid("imageId", "the tag '" + tag.value() + "' does not name digest " + digest);
            }
            boolean lastTag = repo.tagsOf(target).size() == 1;
            if (lastTag && repo.image(target).isPresent()) {
                Set<Digest> parents = repo.parentsOf(target);
                if (!parents.isEmpty()) {
                    throw new ReferencedByIndex(target, parents.iterator().next());
                }
                deleteImage(repo, target);
            } else {
                index.removeTag(repo, tag.value());
            }
            return List.of(new Removed(target, tag.value()));
        } finally {
            repo.writeLock().unlock();
        }
    }

    /** Deletes the image and its tags in one transaction (refused if an index lists it); returns the tags. */
    private List<String> deleteImage(RepositoryState repo, Digest digest) {
        List<String> tags = index.removeImage(repo, digest);
        cache.remove(digest);
        return tags;
    }

    private static ImageRecord resolve(RepositoryState repo, Reference reference) {
        Optional<ImageRecord> found = switch (reference) {
            case Reference.ByTag byTag -> repo.tag(byTag.tag().value()).flatMap(repo::image);
            case Reference.ByDigest byDigest -> repo.image(byDigest.digest());
        };
        return found.orElseThrow(() -> new ManifestUnknown(reference.toString()));
    }

    /**
     * Clears the garbage-collection mark of every blob the manifest references, before they are checked:
     * a collection then either kept them, or deleted (and unlinked) them before this push, which the check
     * reports as {@link ManifestBlobUnknown}. Callers hold the push lock.
     */
    private void adoptReferences(Manifest manifest) {
        if (manifest.config() != null && !manifest.config().isExternal()) {
            marks.adopt(manifest.config().digest());
        }
        for (Descriptor d : manifest.layers()) {
            if (!d.isExternal()) {
                marks.adopt(d.digest());
            }
        }
    }

    /** Checks that every blob and child is in the repository; returns ECR's image size. */
    private static long verifyReferences(RepositoryState repo, Manifest manifest) {
        List<Digest> missing = new ArrayList<>();
        long imageSize = 0;
        List<Descriptor> blobs = new ArrayList<>(manifest.layers());
        if (manifest.config() != null) {
            blobs.add(0, manifest.config());
        }
        for (Descriptor d : blobs) {
            if (d.isExternal()) {
                continue;
            }
            Optional<Long> size = repo.layerSize(d.digest());
            if (size.isEmpty()) {
                missing.add(d.digest());
            } else if (d.size() >= 0 && size.get() != d.size()) {
                throw new ManifestInvalid("descriptor " + d.digest() + " declares size " + d.size()
                        + " but the blob has " + size.get() + " bytes");
            } else {
                imageSize += size.get();
            }
        }
        for (Descriptor child : manifest.children()) {
            Optional<ImageRecord> image = repo.image(child.digest());
            if (image.isEmpty()) {
                missing.add(child.digest());
            } else {
                imageSize = Math.max(imageSize, image.get().imageSize());
            }
        }
        if (!missing.isEmpty()) {
            throw new ManifestBlobUnknown(missing);
        }
        return imageSize;
    }

    /**
     * Refuses an index nested deeper than {@link RegistrySettings#indexMaxDepth()}: its depth is one more
     * than its deepest child's, which the repository knows for every stored image (children are verified
     * present first). The work is one look-up per child.
     */
    private void requireShallow(RepositoryState repo, Manifest manifest) {
        if (!manifest.isIndex()) {
            return;
        }
        int deepest = 0;
        for (Digest child : manifest.referencedManifests()) {
            deepest = Math.max(deepest, repo.indexDepth(child));
        }
        int depth = deepest + 1;
        if (depth > settings.indexMaxDepth()) {
            throw new ManifestInvalid("index nesting depth " + depth + " exceeds the maximum of "
                    + settings.indexMaxDepth() + " (" + RegistrySettings.INDEX_MAX_DEPTH_KEY + "): an index of image"
                    + " manifests has depth 1, an index listing an index of depth d has depth d + 1");
        }
    }

    private Digest storeContent(RepositoryName name, Manifest manifest) {
        Digest contentBlob = Digest.sha256(manifest.bytes());
        marks.adopt(contentBlob); // before relying on a stored copy that a collection may be about to delete
        if (blobs.stat(contentBlob).isEmpty()) {
            uploads.storeUnlinked(name, contentBlob, new ByteArrayInputStream(manifest.bytes()));
        }
        return contentBlob;
    }

    private byte[] content(ImageRecord record) {
        byte[] cached = cache.get(record.digest());
        if (cached != null) {
            return cached;
        }
        try (BlobContent content = blobs.open(record.contentBlob(), 0, record.manifestSize())) {
            byte[] bytes = readAll(content, (int) record.manifestSize());
            cache.put(record.digest(), bytes);
            return bytes;
        } catch (IOException e) {
            throw new StorageFailure("cannot read manifest " + record.digest(), e);
        }
    }

    private static byte[] readAll(BlobContent content, int size) throws IOException {
        byte[] out = new byte[size];
        switch (content) {
            case BlobContent.FileRange f -> {
                ByteBuffer buf = ByteBuffer.wrap(out);
                long pos = f.offset();
                while (buf.hasRemaining()) {
                    int n = f.channel().read(buf, pos);
                    if (n < 0) {
                        throw new IOException("manifest blob shorter than recorded");
                    }
                    pos += n;
                }
            }
            case BlobContent.Stream s -> {
                InputStream in = s.stream();
                int read = in.readNBytes(out, 0, size);
                if (read != size) {
                    throw new IOException("manifest blob shorter than recorded");
                }
            }
            case BlobContent.Redirect r -> throw new IOException("manifest content cannot be a redirect");
        }
        return out;
    }

    private void recordPull(RepositoryState repo, ImageRecord record) {
        Instant now = index.clock().instant();
        Instant last = record.lastPulledAt();
        if (last != null && last.plus(settings.pullTimeResolution()).isAfter(now)) {
            return;
        }
        pullTimes.submit(new Pulled(repo.name(), record.digest()),
                () -> index.recordPull(repo, record.digest(), now));
    }

    /** An image whose pull time is being written (one write per image at a time). */
    private record Pulled(RepositoryName repository, Digest digest) {
        @Override
        public String toString() {
            return repository + "@" + digest;
        }
    }

    /**
     * Finishes the pull-time writes already queued (up to 10 s) and takes no more: call before the
     * metadata database closes.
     */
    @Override
    public void close() {
        pullTimes.close();
    }
}
