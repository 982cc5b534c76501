package io.lading.core.upload;

import io.lading.core.RegistrySettings;
import io.lading.core.error.RegistryException.LimitExceeded;
import io.lading.core.spi.UploadState;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the open upload sessions, per owner and in total, and refuses a new one over
 * {@link RegistrySettings#uploadSessionsPerPrincipal()} or {@link RegistrySettings#uploadSessionsTotal()}.
 * A session holds its slot from {@link #reserve} (before it is created) until {@link #release} (commit, cancel, expiry, deletion
 * of its repository); releasing twice, or releasing a session that holds no slot, changes nothing.
 * Sessions without an owner ({@link UploadState#NO_OWNER}: the data plane runs without authentication)
 * count towards the total only, since nothing tells their clients apart.
 *
 * <p>Memory is bounded by the limits: at most {@code uploadSessionsTotal} sessions are admitted, plus those
 * already in the store when it was built (counted, so none is admitted until enough of them are gone).
 * Thread-safe: one monitor guards the counts, held only for map updates.
 */
final class UploadSlots {

    /** What a refused client is told to wait: long enough for a typical layer upload to finish. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private final int perPrincipal;
    private final int total;
    /** Session id to owner, for every session that holds a slot. */
    private final Map<String, String> holders = new HashMap<>();
    /** Slots taken per owner, reservations included. */
    private final Map<String, Integer> perOwner = new HashMap<>();
    /** Slots taken in total, reservations included. */
    private int open;

    UploadSlots(RegistrySettings settings) {
        this.perPrincipal = settings.uploadSessionsPerPrincipal();
        this.total = settings.uploadSessionsTotal();
    }

    /**
     * Takes a slot for a session of {@code owner} that is about to be created: then {@link #bind} it to the
     * session's id, or {@link #unreserve} it if the session could not be created.
     *
     * @throws LimitExceeded (transient) if {@code owner} or the registry holds the most sessions allowed
     */
    synchronized void reserve(String owner) {
        if (open >= total) {
            throw LimitExceeded.transientLimit("Too many open upload sessions: the registry holds " + open
                    + ", the most allowed in total (" + RegistrySettings.UPLOAD_SESSIONS_TOTAL_KEY + " = " + total
                    + "); try again later", RETRY_AFTER);
        }
        int mine = perOwner.getOrDefault(owner, 0);
        if (!owner.equals(UploadState.NO_OWNER) && mine >= perPrincipal) {
            throw LimitExceeded.transientLimit("Too many open upload sessions: " + owner + " holds " + mine
                    + ", the most allowed per principal (" + RegistrySettings.UPLOAD_SESSIONS_PER_PRINCIPAL_KEY
                    + " = " + perPrincipal + "); complete or cancel some, or try again later", RETRY_AFTER);
        }
        count(owner);
    }

    /** The reserved slot now belongs to the created session {@code sessionId}. */
    synchronized void bind(String sessionId, String owner) {
        holders.put(sessionId, owner);
    }

    /** Gives back a reservation whose session was never created. */
    synchronized void unreserve(String owner) {
        uncount(owner);
    }

    /** Counts a session found in the store at start-up, whatever the limits (it exists already). */
    synchronized void adopt(String sessionId, String owner) {
        if (!holders.containsKey(sessionId)) {
            holders.put(sessionId, owner);
            count(owner);
        }
    }

    /** Frees the session's slot, if it holds one. */
    synchronized void release(String sessionId) {
        String owner = holders.remove(sessionId);
        if (owner != null) {
            uncount(owner);
        }
    }

    private void count(String owner) {
        open++;
        perOwner.merge(owner, 1, Integer::sum);
    }

    private void uncount(String owner) {
        open--;
        perOwner.computeIfPresent(owner, (o, n) -> n > 1 ? n - 1 : null);
    }

    /** Whether the session holds a slot. */
    synchronized boolean holds(String sessionId) {
        return holders.containsKey(sessionId);
    }

    /** Open sessions in total. */
    synchronized int total() {
        return open;
    }

    /** Open sessions of {@code owner}. */
    synchronized int of(String owner) {
        return perOwner.getOrDefault(owner, 0);
    }
}
