package io.lading.storage.sql;

import io.lading.core.digest.Digest;
import io.lading.core.image.ImageRecord;
import io.lading.core.image.ImageSummary;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.spi.MetadataCatalog;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@link MetadataCatalog} over Lading's SQL schema ({@code db/migration/V1__metadata.sql}) on SQLite or
 * PostgreSQL, with plain JDBC. Every method is one transaction ({@link SqlTransactions}); checks that
 * guard a write (the version of a repository, a tag's current digest, an index listing an image) read
 * the rows they depend on with {@code FOR UPDATE} on PostgreSQL, and inside SQLite's single writer
 * ({@code BEGIN IMMEDIATE}) otherwise, so two writers never both win. Lists and maps read and written
 * whole (mutability filters, resource tags, annotations) are JSON text. Thread-safe.
 *
 * <p>Each method is delegated to the part that owns its tables: {@link SqlRepositories},
 * {@link SqlBlobLinks} (with {@link SqlBlobRows}, which holds a blob's row for a writing transaction),
 * {@link SqlBlobReferences}, {@link SqlImages}, {@link SqlImagePages}, {@link SqlReferrers} and
 * {@link SqlTags}.
 */
public final class SqlMetadataCatalog implements MetadataCatalog {

    private final SqlRepositories repositories;
    private final SqlBlobLinks links;
    private final SqlBlobReferences blobReferences;
    private final SqlImages images;
    private final SqlImagePages imagePages;
    private final SqlReferrers referrers;
    private final SqlTags tags;

    /**
     * A catalog that trusts every blob it is asked to record to be stored (tests and tools that have no
     * blob store).
     *
     * @param account the registry's account id, recorded with every repository
     */
    public SqlMetadataCatalog(SqlDatabase db, String account) {
        this(db, account, digest -> true);
    }

    /**
     * @param account the registry's account id, recorded with every repository
     * @param bytesPresent whether the blob store holds a blob's bytes: asked, inside the writing transaction,
     *     before a blob gets a row (see {@link SqlBlobRows#holdBlob})
     */
    public SqlMetadataCatalog(SqlDatabase db, String account, Predicate<Digest> bytesPresent) {
        SqlTransactions tx = new SqlTransactions(db);
        boolean pg = db.engine() == SqlEngine.POSTGRESQL;
        String forUpdate = pg ? " FOR UPDATE" : "";
        String forKeyShare = pg ? " FOR KEY SHARE" : "";
        SqlBlobRows blobRows = new SqlBlobRows(forKeyShare, bytesPresent);
        this.repositories = new SqlRepositories(tx, account, forUpdate);
        this.links = new SqlBlobLinks(tx, repositories, blobRows);
        this.blobReferences = new SqlBlobReferences(tx);
        this.images = new SqlImages(tx, repositories, blobRows, forUpdate);
        this.imagePages = new SqlImagePages(tx);
        this.referrers = new SqlReferrers(tx);
        this.tags = new SqlTags(tx, forUpdate);
    }

    // ---- repositories ----

    @Override
    public Optional<StoredRepository> repository(String name) {
        return repositories.repository(name);
    }

    @Override
    public Optional<StoredRepository> createRepository(String name, RepositoryRecord record) {
        return repositories.createRepository(name, record);
    }

    @Override
    public Optional<StoredRepository> updateRepository(long id, long expectedVersion, RepositoryRecord record) {
        return repositories.updateRepository(id, expectedVersion, record);
    }

    @Override
    public boolean deleteRepository(long id) {
        return repositories.deleteRepository(id);
    }

    @Override
    public List<String> repositoryNames(String after, int limit) {
        return repositories.repositoryNames(after, limit);
    }

    // ---- links ----

    @Override
    public Optional<BlobLink> link(long repository, Digest digest) {
        return links.link(repository, digest);
    }

    @Override
    public void putLink(long repository, Digest digest, long size, Instant linkedAt) {
        links.putLink(repository, digest, size, linkedAt);
    }

    @Override
    public void removeLink(long repository, Digest digest) {
        links.removeLink(repository, digest);
    }

    @Override
    public int removeLinksEverywhere(Digest digest) {
        return links.removeLinksEverywhere(digest);
    }

    @Override
    public Optional<Instant> newestLink(Digest digest) {
        return links.newestLink(digest);
    }

    @Override
    public boolean referencedInRepository(long repository, Digest blob) {
        return blobReferences.referencedInRepository(repository, blob);
    }

    @Override
    public boolean referencedAnywhere(Digest blob) {
        return blobReferences.referencedAnywhere(blob);
    }

    // ---- images ----

    @Override
    public Optional<ImageRecord> image(long repository, Digest digest) {
        return images.image(repository, digest);
    }

    @Override
    public Optional<ImageRecord> putImage(long repository, ImageRecord record) {
        return images.putImage(repository, record);
    }

    @Override
    public void setLastPulledAt(long repository, Digest digest, Instant at) {
        images.setLastPulledAt(repository, digest, at);
    }

    @Override
    public List<String> removeImage(long repository, Digest digest) {
        return images.removeImage(repository, digest);
    }

    @Override
    public List<ImageRecord> images(long repository, Digest after, int limit) {
        return imagePages.images(repository, after, limit);
    }

    @Override
    public List<ImageSummary> imageSummaries(long repository, Digest after, int limit) {
        return imagePages.imageSummaries(repository, after, limit);
    }

    @Override
    public List<ImageSummary> imageSummariesNewestFirst(long repository, ImageSummary after, int limit) {
        return imagePages.imageSummariesNewestFirst(repository, after, limit);
    }

    @Override
    public boolean hasImages(long repository) {
        return images.hasImages(repository);
    }

    @Override
    public Set<Digest> listedByIndex(long repository, Collection<Digest> digests) {
        return referrers.listedByIndex(repository, digests);
    }

    @Override
    public Set<Digest> parents(long repository, Digest child) {
        return referrers.parents(repository, child);
    }

    @Override
    public List<Digest> referrers(long repository, Digest subject) {
        return referrers.referrers(repository, subject);
    }

    // ---- tags ----

    @Override
    public Optional<Digest> tag(long repository, String tag) {
        return tags.tag(repository, tag);
    }

    @Override
    public List<TagEntry> tags(long repository, String after, int limit) {
        return tags.tags(repository, after, limit);
    }

    @Override
    public List<String> tagsOf(long repository, Digest digest) {
        return tags.tagsOf(repository, digest);
    }

    @Override
    public Map<Digest, List<String>> tagsOf(long repository, Collection<Digest> digests) {
        return tags.tagsOf(repository, digests);
    }

    @Override
    public Optional<Digest> setTag(long repository, String tag, Digest digest, Instant at, boolean mayMove) {
        return tags.setTag(repository, tag, digest, at, mayMove);
    }

    @Override
    public boolean removeTag(long repository, String tag) {
        return tags.removeTag(repository, tag);
    }
}
