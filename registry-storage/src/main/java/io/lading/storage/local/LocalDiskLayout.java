package io.lading.storage.local;

import io.lading.core.digest.Digest;
import io.lading.core.digest.DigestAlgorithm;
import java.nio.file.Path;

/**
 * The paths of the local-disk backend under its data root. One root is shared by the metadata, upload
 * and blob stores; everything lives on one filesystem so that renames and hard links between the
 * directories are atomic.
 *
 * <pre>
 * &lt;root&gt;/
 *   blobs/sha256/&lt;first 2 hex&gt;/&lt;hex&gt;     immutable blob files (sha512 likewise under blobs/sha512/)
 *   uploads/&lt;uuid&gt;/data                  bytes received so far
 *   uploads/&lt;uuid&gt;/info.json             {"repository":…, "owner":…, "startedAt": epoch-millis}
 *   uploads/&lt;uuid&gt;/hash                  the SHA-256 state after the last chunk (Sha256State's encoding)
 *   meta/&lt;key&gt;@                          one file per MetadataStore key (see below), including
 *                                          repositories/…, accounts/…, gc/marks/…, auth/… (signing keys)
 *   quarantine/&lt;millis&gt;-&lt;uuid&gt;/document  an unreadable metadata document, bytes as they were
 *   quarantine/&lt;millis&gt;-&lt;uuid&gt;/info.json its key, original path, reason and time
 *   tmp/&lt;instance uuid&gt;/…                temp files of one live store instance; anything else in
 *                                          tmp/ is left over from a crash and removed at start-up
 *   lading.lock                            held by the one process using this root ({@link StorageRootLock})
 * </pre>
 *
 * <p>A metadata key {@code a/b/c} is stored in the file {@code meta/a/b/c@}: the {@code @} suffix, which
 * cannot occur in a key, keeps a key's file from colliding with the directory of a longer key (the SPI
 * allows {@code a/b} and {@code a/b/c} to exist together). A segment longer than 200 characters is split
 * into directories of 200, each but the last ending in {@code +} (see {@link #toPath}).
 *
 * <p>Immutable and thread-safe. It only computes paths; it never touches the filesystem.
 */
public final class LocalDiskLayout {

    /** Appended to the last key segment to form a metadata file name; not a key character. */
    static final String META_SUFFIX = "@";
    /** The longest key segment kept as one file or directory name (with the suffix, within 255 bytes). */
    static final int MAX_SEGMENT = 200;
    /** Ends a directory that holds the first part of a longer key segment; not a key character. */
    static final String CONTINUED = "+";

    private final Path root;

    public LocalDiskLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    /** Metadata documents that could not be read, one directory each ({@code quarantine/<id>/}). */
    public Path quarantine() {
        return root.resolve("quarantine");
    }

    public Path blobs(DigestAlgorithm algorithm) {
        return root.resolve("blobs").resolve(algorithm.id());
    }

    public Path blob(Digest digest) {
        return blobs(digest.algorithm()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    public Path uploads() {
        return root.resolve("uploads");
    }

    /** The session directory; {@code uploadId} must already be validated as a lower-case UUID. */
    public Path upload(String uploadId) {
        return uploads().resolve(uploadId);
    }

    public Path uploadData(String uploadId) {
        return upload(uploadId).resolve("data");
    }

    public Path uploadInfo(String uploadId) {
        return upload(uploadId).resolve("info.json");
    }

    public Path uploadHash(String uploadId) {
        return upload(uploadId).resolve("hash");
    }

    public Path meta() {
        return root.resolve("meta");
    }

    /** The file of a metadata key; {@code key} must already be validated. */
    public Path metaFile(String key) {
        return meta().resolve(toPath(key) + META_SUFFIX);
    }

    /** The directory holding the keys under {@code prefix} (a validated key prefix ending in {@code /}, or empty). */
    public Path metaDirectory(String prefix) {
        return prefix.isEmpty() ? meta() : meta().resolve(toPath(prefix.substring(0, prefix.length() - 1)));
    }

    /**
     * The relative path of a key (or key prefix): a segment longer than {@link #MAX_SEGMENT} characters
     * becomes several directories of at most that many, each but the last ending in {@link #CONTINUED}.
     * Filesystems limit a name to 255 bytes, and a repository name alone may be 256 characters.
     * Segments up to the limit are unchanged, so every key of earlier versions keeps its file.
     */
    static String toPath(String key) {
        if (key.length() <= MAX_SEGMENT) {
            return key;
        }
        StringBuilder out = new StringBuilder(key.length() + 8);
        boolean first = true;
        for (String segment : key.split("/", -1)) {
            if (!first) {
                out.append('/');
            }
            first = false;
            int i = 0;
            for (; segment.length() - i > MAX_SEGMENT; i += MAX_SEGMENT) {
                out.append(segment, i, i + MAX_SEGMENT).append(CONTINUED).append('/');
            }
            out.append(segment, i, segment.length());
        }
        return out.toString();
    }

    /** The key of a relative path that {@link #toPath} made ({@code /}-separated). */
    static String fromPath(String path) {
        return path.indexOf(CONTINUED) < 0 ? path : path.replace(CONTINUED + "/", "");
    }
}
