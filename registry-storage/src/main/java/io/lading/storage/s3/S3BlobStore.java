package io.lading.storage.s3;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.BlobUnknown;
import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.spi.BlobContent;
import io.lading.core.spi.BlobInfo;
import io.lading.core.spi.BlobStore;
import io.lading.storage.local.BlobTarget;
import io.lading.storage.local.StorageFailures;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * {@link BlobStore} on S3 (or an S3-compatible store): one object per blob under
 * {@code <prefix>blobs/<alg>/<xx>/<hex>} ({@link S3Keys}). It is also the {@link BlobTarget} of the
 * upload store's commits, which write the verified bytes straight to the content-addressed key.
 *
 * <p>Writes are conditional ({@code If-None-Match: *}), so of two nodes committing one digest at once
 * exactly one object is written and neither overwrites the other; the loser's {@code 412} means the blob is
 * there, which is success when its size is the expected one. A blob of at most one part goes in one
 * {@code PutObject}; a larger one in a multipart upload whose parts are streamed from the session's file
 * (no part is buffered in memory) and whose {@code CompleteMultipartUpload} is the conditional write; a
 * failed or interrupted one is aborted, so nothing of it becomes visible. Server-side encryption settings
 * are sent with every write.
 *
 * <p>{@link #open} is a ranged {@code GetObject}, streamed; {@link #downloadUrl} a pre-signed
 * {@code GetObject} when downloads are redirected. The creation time reported is the object's
 * {@code Last-Modified}, in whole seconds (what both {@code HeadObject} and listings carry).
 *
 * <p>Every request is retried by the client ({@link S3Connection}); one that still fails becomes a
 * {@link StorageFailure} (the APIs' {@code 503} and {@code ServerException}). Thread-safe.
 */
public final class S3BlobStore implements BlobStore, BlobTarget {

    private final S3Client s3;
    private final S3Connection connection;
    private final S3Settings settings;
    private final S3Keys keys;
    /** Keys per {@code ListObjectsV2} page. */
    private final int listPageSize;

    public S3BlobStore(S3Connection connection) {
        this(connection, LIST_PAGE_SIZE);
    }

    /** S3's largest listing page, what {@link #forEach} asks for. */
    static final int LIST_PAGE_SIZE = 1000;

    /** As {@link #S3BlobStore(S3Connection)}, listing {@code listPageSize} keys a page (tests page with few blobs). */
    S3BlobStore(S3Connection connection, int listPageSize) {
        this.listPageSize = listPageSize;
        this.connection = connection;
        this.s3 = connection.client();
        this.settings = connection.settings();
        this.keys = new S3Keys(settings.prefix());
    }

    @Override
    public Optional<BlobInfo> stat(Digest digest) {
        String key = keys.blob(digest);
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(settings.bucket()).key(key));
            return Optional.of(new BlobInfo(digest, head.contentLength(), seconds(head.lastModified())));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("HeadObject", key, e);
        } catch (SdkException e) {
            throw failure("HeadObject", key, e);
        }
    }

    @Override
    public BlobContent open(Digest digest, long offset, long length) {
        String key = keys.blob(digest);
        if (length == 0) {
            // S3 has no empty range: a zero-length read only needs the blob to exist
            if (stat(digest).isEmpty()) {
                throw new BlobUnknown(digest, "");
            }
            return new BlobContent.Stream(InputStream.nullInputStream(), 0);
        }
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        try {
            var in = s3.getObject(b -> b.bucket(settings.bucket()).key(key).range(range),
                    ResponseTransformer.toInputStream());
            return new BlobContent.Stream(new S3ObjectStream(in, length), length);
        } catch (NoSuchKeyException e) {
            throw new BlobUnknown(digest, "");
        } catch (SdkException e) {
            throw failure("GetObject", key, e);
        }
    }

    @Override
    public Optional<URI> downloadUrl(Digest digest) {
        if (!settings.redirect()) {
            return Optional.empty();
        }
        String key = keys.blob(digest);
        try {
            var presigned = connection.presigner().presignGetObject(p -> p.signatureDuration(settings.presignExpiry())
                    .getObjectRequest(g -> g.bucket(settings.bucket()).key(key)));
            return Optional.of(presigned.url().toURI());
        } catch (URISyntaxException e) {
            throw StorageFailures.of("cannot pre-sign a GET of " + key, e);
        } catch (SdkException e) {
            throw failure("pre-signing GetObject", key, e);
        }
    }

    /** Removes the object; S3's delete does not say whether it existed, so it is looked up first. */
    @Override
    public boolean delete(Digest digest) {
        if (stat(digest).isEmpty()) {
            return false;
        }
        String key = keys.blob(digest);
        try {
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(key));
            return true;
        } catch (SdkException e) {
            throw failure("DeleteObject", key, e);
        }
    }

    /** Lists {@code blobs/} a page ({@code ListObjectsV2}, 1000 keys) at a time; other keys are skipped. */
    @Override
    public void forEach(Consumer<BlobInfo> sink) {
        try {
            for (S3Object o : s3.listObjectsV2Paginator(
                    b -> b.bucket(settings.bucket()).prefix(keys.blobs()).maxKeys(listPageSize))
                    .contents()) {
                keys.digestOf(o.key()).ifPresent(d -> sink.accept(new BlobInfo(d, o.size(), seconds(o.lastModified()))));
            }
        } catch (SdkException e) {
            throw failure("ListObjectsV2", keys.blobs(), e);
        }
    }

    @Override
    public BlobInfo store(Path data, long size, Digest digest) {
        String key = keys.blob(digest);
        Optional<BlobInfo> existing = stat(digest);
        if (existing.isEmpty()) {
            if (size <= settings.partSize()) {
                putObject(key, data, size);
            } else {
                multipartUpload(key, data, size);
            }
            existing = stat(digest);
        }
        BlobInfo stored = existing.orElseThrow(
                () -> new StorageFailure("blob " + digest + " vanished from " + key + " while it was committed", null));
        if (stored.size() != size) {
            throw new StorageFailure("the object " + key + " holds " + stored.size() + " bytes, not the " + size
                    + " of blob " + digest + ": it is damaged", null);
        }
        return stored;
    }

    /** One conditional {@code PutObject}; a {@code 412} (already there) returns normally. */
    private void putObject(String key, Path data, long size) {
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(settings.bucket()).key(key)
                .contentLength(size).ifNoneMatch("*").checksumAlgorithm(ChecksumAlgorithm.CRC32);
        encryption(put);
        try {
            s3.putObject(put.build(), RequestBody.fromContentProvider(
                    () -> FileRangeStream.open(data, 0, size), size, "application/octet-stream"));
        } catch (S3Exception e) {
            if (!alreadyThere(e)) {
                throw failure("PutObject", key, e);
            }
        } catch (SdkException e) {
            throw failure("PutObject", key, e);
        }
    }

    /**
     * A multipart upload of {@code data} in parts of {@code partSize}, completed conditionally; aborted
     * unless it completed (failure, interruption, or {@code 412}: another commit got there first).
     */
    private void multipartUpload(String key, Path data, long size) {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                .bucket(settings.bucket()).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32);
        encryption(create);
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(create.build()).uploadId();
        } catch (SdkException e) {
            throw failure("CreateMultipartUpload", key, e);
        }
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += settings.partSize(), number++) {
                long from = offset;
                long length = Math.min(settings.partSize(), size - offset);
                int partNumber = number;
                UploadPartResponse part = s3.uploadPart(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)
                                .partNumber(partNumber).contentLength(length).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                        RequestBody.fromContentProvider(() -> FileRangeStream.open(data, from, length), length,
                                "application/octet-stream"));
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(part.eTag())
                        .checksumCRC32(part.checksumCRC32()).build());
                if (Thread.currentThread().isInterrupted()) {
                    throw new StorageFailure("interrupted while uploading " + key, null);
                }
            }
            try {
                s3.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)).ifNoneMatch("*"));
                completed = true;
            } catch (S3Exception e) {
                if (!alreadyThere(e)) {
                    throw failure("CompleteMultipartUpload", key, e);
                }
            }
        } catch (SdkException e) {
            throw failure("multipart upload", key, e); // UploadPart, or a client-side failure of the completion
        } finally {
            if (!completed) {
                abortQuietly(key, uploadId);
            }
        }
    }

    /**
     * Aborts the multipart uploads under the blob keys that were initiated before {@code startedBefore}: a
     * commit that a crash ({@code kill -9}, a lost node) cut off between {@code CreateMultipartUpload} and
     * its completion or abort. Listed a page at a time ({@code ListMultipartUploads}); a failure to abort one
     * is left for the next run (and the bucket's lifecycle rule, docs/scaling.md).
     */
    @Override
    public int removeAbandonedWrites(Instant startedBefore) {
        int aborted = 0;
        String keyMarker = null;
        String uploadIdMarker = null;
        try {
            while (true) {
                String km = keyMarker;
                String um = uploadIdMarker;
                var page = s3.listMultipartUploads(b -> b.bucket(settings.bucket()).prefix(keys.blobs())
                        .maxUploads(listPageSize).keyMarker(km).uploadIdMarker(um));
                for (var upload : page.uploads()) {
                    if (upload.initiated() != null && upload.initiated().isBefore(startedBefore)) {
                        abortQuietly(upload.key(), upload.uploadId());
                        aborted++;
                    }
                }
                if (!Boolean.TRUE.equals(page.isTruncated())) {
                    return aborted;
                }
                keyMarker = page.nextKeyMarker();
                uploadIdMarker = page.nextUploadIdMarker();
            }
        } catch (SdkException e) {
            throw failure("ListMultipartUploads", keys.blobs(), e);
        }
    }

    /**
     * Aborts the multipart upload, also on an interrupted thread (the SDK sends nothing while the thread's
     * interrupt flag is set, so it is cleared for the request and set again after).
     */
    private void abortQuietly(String key, String uploadId) {
        boolean interrupted = Thread.interrupted();
        try {
            s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // invisible either way; the bucket's lifecycle rule removes it (docs/storage-layout.md)
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Whether a conditional write failed because the key exists: {@code 412} (S3, MinIO), {@code 304} (what
     * S3Mock answers a {@code CompleteMultipartUpload} whose {@code If-None-Match} failed), or {@code 409}
     * (another conditional write of the key was in flight; the caller's {@link #stat} then decides).
     */
    private static boolean alreadyThere(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 304 || e.statusCode() == 409;
    }

    private void encryption(PutObjectRequest.Builder put) {
        if (!settings.sse().isEmpty()) {
            put.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
            if (!settings.kmsKeyId().isEmpty()) {
                put.ssekmsKeyId(settings.kmsKeyId());
            }
        }
    }

    private void encryption(CreateMultipartUploadRequest.Builder create) {
        if (!settings.sse().isEmpty()) {
            create.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
            if (!settings.kmsKeyId().isEmpty()) {
                create.ssekmsKeyId(settings.kmsKeyId());
            }
        }
    }

    private StorageFailure failure(String operation, String key, SdkException e) {
        return StorageFailures.of("S3 " + operation + " of s3://" + settings.bucket() + "/" + key + " failed", e);
    }

    private static Instant seconds(Instant t) {
        return t == null ? Instant.EPOCH : t.truncatedTo(ChronoUnit.SECONDS);
    }
}
