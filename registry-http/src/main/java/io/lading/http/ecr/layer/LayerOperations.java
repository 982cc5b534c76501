package io.lading.http.ecr.layer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException;
import io.lading.core.error.RegistryException.DigestInvalid;
import io.lading.core.error.RegistryException.RangeInvalid;
import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.error.RegistryException.UploadUnknown;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryState;
import io.lading.core.spi.UploadState;
import io.lading.core.upload.UploadService;
import io.lading.http.ecr.EcrCall;
import io.lading.http.ecr.EcrErrorType;
import io.lading.http.ecr.EcrException;
import io.lading.http.ecr.EcrInput;
import io.lading.http.ecr.EcrJson;
import io.lading.http.ecr.EcrOperation;
import io.lading.http.ecr.EcrOperations;
import io.lading.http.oci.PresignedBlobUrls;
import io.lading.core.blob.BlobService;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The API push/pull path for blobs (ecr-api.md 4.3): BatchCheckLayerAvailability, InitiateLayerUpload,
 * UploadLayerPart, CompleteLayerUpload, GetDownloadUrlForLayer. Upload sessions are the same sessions
 * {@code /v2} uses ({@link UploadService}); what ECR adds on top (part sizes for the 5 MiB minimum, the
 * last part for idempotent retries) is kept in memory per upload id. Thread-safe.
 */
public final class LayerOperations {

    /** The part size clients are told to use (containerd slices with exactly this). */
    public static final long PART_SIZE = 10L * 1024 * 1024;
    /** Largest decoded {@code layerPartBlob}. */
    public static final int MAX_PART = 20 * 1024 * 1024;
    /** Smallest part other than the last. */
    public static final long MIN_PART = 5L * 1024 * 1024;
    /** Most parts per upload. */
    public static final int MAX_PARTS = 4200;

    private static final String UPLOAD_ID_TEXT =
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    private static final Pattern UPLOAD_ID = Pattern.compile(UPLOAD_ID_TEXT);
    private static final String LAYER_DIGEST_TEXT = "[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+";
    private static final Pattern LAYER_DIGEST = Pattern.compile(LAYER_DIGEST_TEXT);

    private final UploadService uploads;
    private final RepositoryIndex index;
    private final PresignedBlobUrls presigned;
    private final BlobService blobs;
    private final ConcurrentHashMap<String, Parts> parts = new ConcurrentHashMap<>();

    /** What this process saw of one session's parts; guarded by its own monitor. */
    private static final class Parts {
        final List<Long> sizes = new ArrayList<>();
        long lastFirst = -1;
        long lastLast = -1;
        byte[] lastHash;
    }

    /**
     * @param presigned Lading's own presigned {@code /v2} blob URLs, what GetDownloadUrlForLayer returns
     *     unless {@code blobs}' store has download URLs of its own (S3 with redirects): then those, as ECR does
     */
    public LayerOperations(UploadService uploads, RepositoryIndex index, PresignedBlobUrls presigned,
            BlobService blobs) {
        this.uploads = uploads;
        this.index = index;
        this.presigned = presigned;
        this.blobs = blobs;
    }

    public void register(EcrOperations table) {
        table.register(EcrOperation.BatchCheckLayerAvailability, this::batchCheckLayerAvailability)
                .register(EcrOperation.InitiateLayerUpload, this::initiateLayerUpload)
                .register(EcrOperation.UploadLayerPart, this::uploadLayerPart)
                .register(EcrOperation.CompleteLayerUpload, this::completeLayerUpload)
                .register(EcrOperation.GetDownloadUrlForLayer, this::getDownloadUrlForLayer);
    }

    private ObjectNode batchCheckLayerAvailability(EcrCall call) {
        call.registryId();
        RepositoryName name = call.repositoryName();
        List<String> digests = call.input().strings("layerDigests", 1, 100);
        if (digests == null) {
            throw EcrInput.notNull("layerDigests");
        }
        for (String d : digests) {
            EcrInput.checkLength("layerDigests", d, 0, 1000);
        }
        RepositoryState repo = index.require(name);
        ObjectNode out = EcrJson.object();
        ArrayNode layers = out.putArray("layers");
        ArrayNode failures = out.putArray("failures");
        for (String text : digests) {
            if (text.isEmpty()) {
                failures.addObject().put("layerDigest", text).put("failureCode", "MissingLayerDigest")
                        .put("failureReason", "The layer digest is missing");
                continue;
            }
            if (!LAYER_DIGEST.matcher(text).matches() || !Digest.isDigest(text)) {
                failures.addObject().put("layerDigest", text).put("failureCode", "InvalidLayerDigest")
                        .put("failureReason", "Invalid layer digest");
                continue;
            }
            ObjectNode layer = layers.addObject().put("layerDigest", text);
            var size = repo.layerSize(Digest.parse(text));
            if (size.isPresent()) {
                layer.put("layerAvailability", "AVAILABLE").put("layerSize", size.get());
            } else {
                layer.put("layerAvailability", "UNAVAILABLE");
            }
        }
        return out;
    }

    private ObjectNode initiateLayerUpload(EcrCall call) {
        call.registryId();
        RepositoryName name = call.repositoryName();
        // the control API never creates a repository, whatever registry.createOnPush says
        index.require(name);
        UploadState session = uploads.start(name, call.principal().arn());
        parts.put(session.id(), new Parts());
        ObjectNode out = EcrJson.object();
        out.put("uploadId", session.id());
        out.put("partSize", PART_SIZE);
        return out;
    }

    private static String uploadId(EcrInput in) {
        String id = in.requiredString("uploadId");
        if (!UPLOAD_ID.matcher(id).matches()) {
            throw EcrInput.regex("uploadId", UPLOAD_ID_TEXT);
        }
        return id.toLowerCase(java.util.Locale.ROOT);
    }

    private ObjectNode uploadLayerPart(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        EcrInput in = call.input();
        String uploadId = uploadId(in);
        long first = in.requiredLong("partFirstByte");
        long last = in.requiredLong("partLastByte");
        io.lading.http.ecr.EcrInput.Blob blob = in.requiredBlob("layerPartBlob");
        if (first < 0 || last < 0) {
            throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at '" + (first < 0 ? "partFirstByte"
                    : "partLastByte") + "' failed to satisfy constraint: 'Member must have value greater than or equal to 0'");
        }
        long length = blob.length();
        index.require(name);
        UploadState state = uploads.status(name, uploadId, call.principal().arn());
        Parts log = parts.computeIfAbsent(uploadId, id -> new Parts());
        synchronized (log) {
            state = uploads.status(name, uploadId, call.principal().arn());
            long size = state.size();
            if (length > MAX_PART) {
                throw invalidPart("The layer part is larger than " + MAX_PART + " bytes", registryId, name, uploadId, size);
            }
            if (last < first) {
                throw invalidPart("The last byte of the layer part is before its first byte", registryId, name,
                        uploadId, size);
            }
            if (length != last - first + 1) {
                throw invalidPart("The layer part is " + length + " bytes but its range covers "
                        + (last - first + 1), registryId, name, uploadId, size);
            }
            byte[] hash = blob.sha256();
            if (first == log.lastFirst && last == log.lastLast && last == size - 1
                    && MessageDigest.isEqual(hash, log.lastHash)) {
                return partResponse(registryId, name, uploadId, last); // an exact retry of the accepted part
            }
            if (first != size) {
                throw invalidPart("The layer part does not start at the expected byte", registryId, name, uploadId, size);
            }
            if (log.sizes.size() >= MAX_PARTS) {
                throw EcrErrorType.LIMIT_EXCEEDED.error("The upload already has the maximum of " + MAX_PARTS + " parts");
            }
            try (java.io.InputStream part = blob.open()) {
                uploads.append(name, uploadId, call.principal().arn(), first, part);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read the spooled layer part", e);
            } catch (RangeInvalid e) {
                throw invalidPart("The layer part does not start at the expected byte", registryId, name, uploadId,
                        e.currentSize());
            }
            log.sizes.add(length);
            log.lastFirst = first;
            log.lastLast = last;
            log.lastHash = hash;
        }
        return partResponse(registryId, name, uploadId, last);
    }

    private static ObjectNode partResponse(String registryId, RepositoryName name, String uploadId, long last) {
        ObjectNode out = EcrJson.object();
        out.put("registryId", registryId);
        out.put("repositoryName", name.value());
        out.put("uploadId", uploadId);
        out.put("lastByteReceived", last);
        return out;
    }

    private static EcrException invalidPart(String message, String registryId, RepositoryName name, String uploadId,
            long sessionSize) {
        return EcrErrorType.INVALID_LAYER_PART.error(message)
                .with("registryId", registryId)
                .with("repositoryName", name.value())
                .with("uploadId", uploadId)
                .with("lastValidByteReceived", sessionSize > 0 ? sessionSize - 1 : null);
    }

    private ObjectNode completeLayerUpload(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        EcrInput in = call.input();
        String uploadId = uploadId(in);
        List<String> digests = in.strings("layerDigests", 1, 100);
        if (digests == null) {
            throw EcrInput.notNull("layerDigests");
        }
        for (String d : digests) {
            if (!LAYER_DIGEST.matcher(d).matches()) {
                throw EcrInput.regex("layerDigests", LAYER_DIGEST_TEXT);
            }
        }
        if (digests.size() != 1 || !digests.get(0).startsWith("sha256:") || !Digest.isDigest(digests.get(0))) {
            throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'layerDigests' failed to satisfy "
                    + "constraint: 'exactly one sha256 digest is required'");
        }
        Digest claimed = Digest.parse(digests.get(0));
        RepositoryState repo = index.require(name);
        UploadState state = uploads.status(name, uploadId, call.principal().arn());
        Parts log = parts.computeIfAbsent(uploadId, id -> new Parts());
        boolean close = true;
        synchronized (log) {
            try {
                state = uploads.status(name, uploadId, call.principal().arn());
                if (state.size() == 0) {
                    throw EcrErrorType.EMPTY_UPLOAD.error("The upload with id '" + uploadId
                            + "' does not contain any layer parts");
                }
                for (int i = 0; i < log.sizes.size() - 1; i++) {
                    if (log.sizes.get(i) < MIN_PART) {
                        throw EcrErrorType.LAYER_PART_TOO_SMALL.error("Layer part " + (i + 1) + " of upload '"
                                + uploadId + "' is " + log.sizes.get(i) + " bytes; every part but the last must be at "
                                + "least " + MIN_PART + " bytes");
                    }
                }
                boolean alreadyLinked = repo.layerSize(claimed).isPresent();
                try {
                    uploads.complete(name, uploadId, call.principal().arn(), claimed, null, null, null);
                } catch (DigestInvalid e) {
                    throw EcrErrorType.INVALID_LAYER.error("The layer digest calculated for the uploaded layer does not "
                            + "match the provided digest '" + claimed + "'");
                }
                if (alreadyLinked) {
                    throw EcrErrorType.LAYER_ALREADY_EXISTS.error("The layer with digest '" + claimed
                            + "' already exists in the repository with name '" + name.value()
                            + "' in the registry with id '" + registryId + "'");
                }
            } catch (StorageFailure e) {
                close = false; // the client may retry a server failure
                throw e;
            } finally {
                if (close) {
                    parts.remove(uploadId, log);
                    try {
                        uploads.cancel(name, uploadId, call.principal().arn());
                    } catch (UploadUnknown | RegistryException.RepositoryNotFound e) {
                        // already committed (or gone): nothing left to close
                    }
                }
            }
        }
        ObjectNode out = EcrJson.object();
        out.put("registryId", registryId);
        out.put("repositoryName", name.value());
        out.put("uploadId", uploadId);
        out.put("layerDigest", claimed.toString());
        return out;
    }

    private ObjectNode getDownloadUrlForLayer(EcrCall call) {
        call.registryId();
        RepositoryName name = call.repositoryName();
        String text = call.input().requiredString("layerDigest");
        if (!LAYER_DIGEST.matcher(text).matches()) {
            throw EcrInput.regex("layerDigest", LAYER_DIGEST_TEXT);
        }
        if (!Digest.isDigest(text)) {
            throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'layerDigest' failed to satisfy "
                    + "constraint: 'Invalid layer digest'");
        }
        Digest digest = Digest.parse(text);
        RepositoryState repo = index.require(name);
        if (repo.layerSize(digest).isEmpty()) {
            throw new RegistryException.BlobUnknown(digest, name.value());
        }
        boolean referenced = repo.references(digest);
        if (!referenced) {
            throw EcrErrorType.LAYER_INACCESSIBLE.error("The layer with digest '" + digest + "' in the repository with "
                    + "name '" + name.value() + "' is not referenced by any image");
        }
        ObjectNode out = EcrJson.object();
        String url = blobs.downloadUrl(name, digest).map(java.net.URI::toString)
                .orElseGet(() -> presigned.url(call.identity().proxyEndpoint(), name, digest));
        out.put("downloadUrl", url);
        out.put("layerDigest", digest.toString());
        return out;
    }
}
