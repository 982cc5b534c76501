package io.lading.core.upload;

import io.lading.core.RegistrySettings;
import io.lading.core.spi.BlobMarkStore;
import io.lading.core.digest.Digest;
import io.lading.core.digest.DigestAlgorithm;
import io.lading.core.digest.ResumableSha256;
import io.lading.core.digest.Sha256State;
import io.lading.core.error.RegistryException.BlobUnknown;
import io.lading.core.error.RegistryException.DigestInvalid;
import io.lading.core.error.RegistryException.LimitExceeded;
import io.lading.core.error.RegistryException.RangeInvalid;
import io.lading.core.error.RegistryException.SizeInvalid;
import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.error.RegistryException.UploadCollected;
import io.lading.core.error.RegistryException.UploadUnknown;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryState;
import io.lading.core.spi.BlobInfo;
import io.lading.core.spi.BlobStore;
import io.lading.core.spi.UploadState;
import io.lading.core.spi.UploadStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blob uploads: sessions, chunks, commit, monolithic upload and cross-repository mount. Every byte is
 * hashed as it streams into the store; the client's digest and length are compared with what was
 * received before the blob becomes visible.
 *
 * <p>Hashes are {@link ResumableSha256} digests. A session's hash lives in memory between its requests,
 * and after each chunk its state is saved in the store ({@link UploadStore#saveHashState}), so the next
 * chunk on another node, or after a restart, continues from the saved state: nothing is read back to
 * re-hash. Only a session without a current saved state (a crash between a chunk and its save) is
 * re-read, as Distribution does without saved hash state. Operations on one session are serialised;
 * sessions are independent. Thread-safe.
 *
 * <p>Sessions opened for a client ({@link #start}) hold a slot of {@link UploadSlots} until they are
 * committed, cancelled, expired or their repository is deleted: over
 * {@link RegistrySettings#uploadSessionsPerPrincipal()} or {@link RegistrySettings#uploadSessionsTotal()} a new
 * one is refused with a transient {@link LimitExceeded}. The slots are counted from the store when the service
 * is built, so they survive a restart. Sessions that live only within one request (a monolithic upload,
 * manifest content) take no slot: the number of requests in flight bounds them.
 */
public final class UploadService {

    private static final Logger log = LoggerFactory.getLogger(UploadService.class);

    private final RepositoryIndex index;
    private final UploadStore uploads;
    private final BlobStore blobs;
    private final BlobMarkStore marks;
    private final RegistrySettings settings;
    private final Clock clock;
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final UploadSlots slots;

    /**
     * Counts the sessions already in {@code uploads} towards the session limits.
     *
     * @param marks garbage collection's marks, which every commit and mount clears for its blob
     */
    public UploadService(RepositoryIndex index, UploadStore uploads, BlobStore blobs, BlobMarkStore marks,
            RegistrySettings settings, Clock clock) {
        this.index = index;
        this.uploads = uploads;
        this.blobs = blobs;
        this.marks = marks;
        this.settings = settings;
        this.clock = clock;
        this.slots = new UploadSlots(settings);
        uploads.forEach(s -> slots.adopt(s.id(), s.owner()));
    }

    /** In-memory state of a session: its lock, and the hash of the bytes received so far. */
    private static final class Session {
        final ReentrantLock lock = new ReentrantLock();
        MessageDigest sha256;
        long hashed;
    }

    /** The largest blob an upload may reach ({@code registry.blobMaxBytes}). */
    public long blobMaxBytes() {
        return settings.blobMaxBytes();
    }

    /** The repository a push targets: created on first push when configured, else it must exist. */
    public RepositoryState pushTarget(RepositoryName name) {
        return settings.createOnPush() ? index.create(name) : index.require(name);
    }

    /**
     * Opens an upload session owned by {@code owner}: every later call on it must name the same owner, or
     * it answers as if the session did not exist.
     *
     * @param owner the caller's ARN, or {@link UploadState#NO_OWNER} when unauthenticated
     * @throws LimitExceeded (transient, with {@link LimitExceeded#retryAfter()}) if {@code owner} or the
     *     registry holds as many open sessions as the settings allow
     */
    public UploadState start(RepositoryName name, String owner) {
        pushTarget(name);
        slots.reserve(owner);
        UploadState state;
        try {
            state = uploads.create(name.value(), owner, clock.instant());
        } catch (RuntimeException e) {
            slots.unreserve(owner);
            throw e;
        }
        slots.bind(state.id(), owner);
        return state;
    }

    /** A session that lives within one request: it takes no slot. */
    private UploadState startTransient(RepositoryName name) {
        pushTarget(name);
        return uploads.create(name.value(), UploadState.NO_OWNER, clock.instant());
    }

    /** How many upload sessions are open: in total, or of one owner (an ARN, or {@link UploadState#NO_OWNER}). */
    public int openSessions() {
        return slots.total();
    }

    /** As {@link #openSessions()}, of {@code owner} only. */
    public int openSessions(String owner) {
        return slots.of(owner);
    }

    /**
     * Links {@code digest} from repository {@code from} into {@code target} without moving bytes. Clears the
     * blob's garbage-collection mark first and refreshes its link time; a blob that a collection deleted
     * before that is not mountable.
     *
     * @return the blob if it was mounted; empty if {@code from} does not have it (the caller then opens a
     *     normal session, as the distribution spec prescribes)
     */
    public Optional<BlobInfo> mount(RepositoryName target, Digest digest, RepositoryName from) {
        index.pushLock().lock();
        try {
            marks.adopt(digest);
            Optional<Long> size = index.find(from).flatMap(r -> r.layerSize(digest));
            if (size.isEmpty() || blobs.stat(digest).isEmpty()) {
                return Optional.empty();
            }
            RepositoryState repo = pushTarget(target);
            try {
                link(repo, digest, size.get());
            } catch (BlobUnknown e) {
                return Optional.empty(); // collected since the check above: the client uploads it instead
            }
            return Optional.of(new BlobInfo(digest, size.get(), clock.instant()));
        } finally {
            index.pushLock().unlock();
        }
    }

    /**
     * The session's state.
     *
     * @throws UploadUnknown if it does not exist, belongs to another repository or to another owner
     */
    public UploadState status(RepositoryName name, String uploadId, String owner) {
        index.require(name);
        return find(name, uploadId, owner);
    }

    /**
     * Appends a chunk.
     *
     * @param rangeStart the first byte's offset as the client stated it (Content-Range), or null to append
     * @throws RangeInvalid if {@code rangeStart} is not the session's current size
     */
    public UploadState append(RepositoryName name, String uploadId, String owner, Long rangeStart, InputStream body) {
        return append(name, uploadId, owner, rangeStart, body, true);
    }

    /** As the public append; {@code keepHashState}: save the hash state for the next chunk (not for a one-request session). */
    private UploadState append(RepositoryName name, String uploadId, String owner, Long rangeStart, InputStream body,
            boolean keepHashState) {
        index.require(name);
        find(name, uploadId, owner); // before the session's state is touched
        Session session = sessions.computeIfAbsent(uploadId, id -> new Session());
        session.lock.lock();
        try {
            UploadState state = find(name, uploadId, owner);
            appendLocked(session, state, rangeStart, body);
            if (keepHashState) {
                // the next chunk, or a retried commit, may reach another node: it resumes the hash from this state
                uploads.saveHashState(uploadId, ResumableSha256.save(session.sha256));
            }
            return find(name, uploadId, owner);
        } finally {
            session.lock.unlock();
        }
    }

    /**
     * Appends the final chunk (if any), verifies the digest (and the expected total size, if known) and
     * commits the blob into the repository.
     *
     * @throws DigestInvalid if the received bytes do not have the claimed digest; the session stays
     */
    public BlobInfo complete(RepositoryName name, String uploadId, String owner, Digest claimed, Long rangeStart,
            InputStream finalChunk, Long expectedSize) {
        return complete(name, uploadId, owner, claimed, rangeStart, finalChunk, expectedSize, true);
    }

    private BlobInfo complete(RepositoryName name, String uploadId, String owner, Digest claimed, Long rangeStart,
            InputStream finalChunk, Long expectedSize, boolean keepHashState) {
        RepositoryState repo = index.require(name);
        find(name, uploadId, owner);
        if (finalChunk != null) {
            // stream the last chunk before taking the push lock: garbage collection must never wait
            // for a client's upload speed
            append(name, uploadId, owner, rangeStart, finalChunk, keepHashState);
        }
        index.pushLock().lock();
        try {
            BlobInfo blob = commit(name, uploadId, owner, claimed, null, null, expectedSize);
            try {
                link(repo, blob.digest(), blob.size());
            } catch (BlobUnknown e) {
                // the commit found the blob stored and kept that copy, which a collection (on another node)
                // deleted before the link: nothing is linked, and the client's retry stores its bytes anew
                throw new UploadCollected(blob.digest().toString());
            }
            return blob;
        } finally {
            index.pushLock().unlock();
        }
    }

    /**
     * Stores {@code body} as the blob {@code claimed}, verified, without linking it into the repository
     * (manifest content: it is reachable through its image record, not as a layer).
     */
    public BlobInfo storeUnlinked(RepositoryName name, Digest claimed, InputStream body) {
        UploadState state = uploads.create(name.value(), clock.instant());
        try {
            return commit(name, state.id(), UploadState.NO_OWNER, claimed, 0L, body, null);
        } catch (RuntimeException e) {
            cancelQuietly(state.id());
            throw e;
        }
    }

    private BlobInfo commit(RepositoryName name, String uploadId, String owner, Digest claimed, Long rangeStart,
            InputStream finalChunk, Long expectedSize) {
        Session session = sessions.computeIfAbsent(uploadId, id -> new Session());
        session.lock.lock();
        try {
            UploadState state = find(name, uploadId, owner);
            if (finalChunk != null) {
                appendLocked(session, state, rangeStart, finalChunk);
                state = find(name, uploadId, owner);
            }
            if (expectedSize != null && expectedSize != state.size()) {
                throw new SizeInvalid("received " + state.size() + " bytes, expected " + expectedSize);
            }
            Digest actual = actualDigest(session, state, claimed.algorithm());
            if (!actual.equals(claimed)) {
                throw new DigestInvalid("provided digest " + claimed + " does not match uploaded content " + actual);
            }
            // clear the blob's GC mark before relying on the stored copy: either this wins and no
            // collection deletes it, or a collection deleted it already and the commit stores these bytes
            marks.adopt(actual);
            BlobInfo blob = uploads.commit(uploadId, actual);
            sessions.remove(uploadId);
            slots.release(uploadId);
            return blob;
        } finally {
            session.lock.unlock();
        }
    }

    /** Uploads a whole blob in one request (POST with {@code ?digest=}, or PutImage's manifest bytes). */
    public BlobInfo upload(RepositoryName name, Digest claimed, InputStream body, Long expectedSize) {
        // the session is never shown to a client: no owner needed, and no slot
        UploadState state = startTransient(name);
        try {
            return complete(name, state.id(), UploadState.NO_OWNER, claimed, 0L, body, expectedSize, false);
        } catch (RuntimeException e) {
            cancelQuietly(state.id());
            throw e;
        }
    }

    /** Cancels a session. @throws UploadUnknown if it does not exist or belongs to another owner */
    public void cancel(RepositoryName name, String uploadId, String owner) {
        index.require(name);
        find(name, uploadId, owner);
        cancelQuietly(uploadId);
    }

    /**
     * Removes sessions idle for longer than the configured expiry, and what interrupted commits of that age
     * left in the blob store ({@link BlobStore#removeAbandonedWrites}). Returns how many sessions it removed.
     */
    public int expire() {
        return expire(false);
    }

    /** As {@link #expire()}; with {@code dryRun} it only counts what it would remove. */
    public int expire(boolean dryRun) {
        Instant cutoff = clock.instant().minus(settings.uploadExpiry());
        int[] removed = {0};
        java.util.Set<String> stored = new java.util.HashSet<>();
        uploads.forEach(s -> {
            stored.add(s.id());
            if (s.startedAt().isBefore(cutoff)) {
                if (!dryRun) {
                    cancelQuietly(s.id());
                }
                removed[0]++;
            }
        });
        if (removed[0] > 0 && !dryRun) {
            log.info("Expired {} upload sessions started before {}", removed[0], cutoff);
        }
        if (!dryRun) {
            int abandoned = blobs.removeAbandonedWrites(cutoff);
            if (abandoned > 0) {
                log.info("Removed {} interrupted blob writes started before {} (multipart uploads a crash left open)",
                        abandoned, cutoff);
            }
            // the in-memory hashes of sessions another node committed or cancelled (an idle one: an append holds its lock)
            sessions.entrySet().removeIf(e -> !stored.contains(e.getKey()) && !e.getValue().lock.isLocked());
        }
        return removed[0];
    }

    /**
     * Cancels every session of repository {@code name} (it was deleted), freeing their slots. Returns how
     * many it cancelled.
     */
    public int cancelAll(RepositoryName name) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        uploads.forEach(s -> {
            if (s.repository().equals(name.value())) {
                ids.add(s.id());
            }
        });
        ids.forEach(this::cancelQuietly);
        return ids.size();
    }

    private void cancelQuietly(String uploadId) {
        sessions.remove(uploadId);
        uploads.cancel(uploadId);
        slots.release(uploadId);
    }

    /** Another owner's session is unknown to the caller: its existence is not revealed. */
    private UploadState find(RepositoryName name, String uploadId, String owner) {
        Optional<UploadState> stored = uploads.get(uploadId);
        if (stored.isEmpty()) {
            slots.release(uploadId); // gone from the store by any other way: its slot is free
            sessions.remove(uploadId); // committed or cancelled on another node, say
        }
        return stored.filter(s -> s.repository().equals(name.value()) && s.usableBy(owner))
                .orElseThrow(() -> new UploadUnknown(uploadId));
    }

    private void appendLocked(Session session, UploadState state, Long rangeStart, InputStream body) {
        if (rangeStart != null && rangeStart != state.size()) {
            throw new RangeInvalid("chunk starts at " + rangeStart + " but the upload holds " + state.size()
                    + " bytes", state.size());
        }
        ensureHashed(session, state);
        MessageDigest trial = cloneOf(session.sha256);
        long appended = uploads.append(state.id(), state.size(),
                new HashingInputStream(body, trial, state.size(), settings.blobMaxBytes()));
        // only a fully stored chunk advances the hash; a failed one left the store unchanged too
        session.sha256 = trial;
        session.hashed = state.size() + appended;
    }

    private void ensureHashed(Session session, UploadState state) {
        if (session.sha256 != null && session.hashed == state.size()) {
            return;
        }
        MessageDigest saved = resumeSaved(state);
        if (saved != null) {
            session.sha256 = saved;
            session.hashed = state.size();
            return;
        }
        MessageDigest md = ResumableSha256.newDigest();
        session.hashed = hashStored(state.id(), md);
        session.sha256 = md;
    }

    /** The session's saved hash, resumed, if the store holds one of exactly the session's bytes; else null. */
    private static MessageDigest resumeSaved(UploadState state) {
        byte[] encoded = state.hashState();
        if (state.size() == 0) {
            return ResumableSha256.newDigest();
        }
        if (encoded == null) {
            return null;
        }
        try {
            Sha256State saved = Sha256State.decode(encoded);
            if (saved.length() != state.size()) {
                log.debug("Upload {}: saved hash state covers {} of {} bytes; re-reading", state.id(), saved.length(),
                        state.size());
                return null;
            }
            return ResumableSha256.resume(saved);
        } catch (IllegalArgumentException e) {
            log.warn("Upload {}: unreadable saved hash state ({}); re-reading its {} bytes", state.id(), e.getMessage(),
                    state.size());
            return null;
        }
    }

    private Digest actualDigest(Session session, UploadState state, DigestAlgorithm algorithm) {
        if (algorithm == DigestAlgorithm.SHA256) {
            ensureHashed(session, state);
            return DigestAlgorithm.SHA256.of(cloneOf(session.sha256).digest());
        }
        MessageDigest md = algorithm.newMessageDigest();
        hashStored(state.id(), md);
        return algorithm.of(md.digest());
    }

    private long hashStored(String uploadId, MessageDigest md) {
        long total = 0;
        try (InputStream in = uploads.read(uploadId)) {
            byte[] buf = new byte[256 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                total += n;
            }
        } catch (IOException e) {
            throw new StorageFailure("cannot re-read upload " + uploadId, e);
        }
        return total;
    }

    private static MessageDigest cloneOf(MessageDigest md) {
        try {
            return (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest is not cloneable", e);
        }
    }

    private void link(RepositoryState repo, Digest digest, long size) {
        repo.writeLock().lock();
        try {
            index.linkLayer(repo, digest, size);
        } finally {
            repo.writeLock().unlock();
        }
    }
}
