package io.lading.auth.policy;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed policies keyed by their text, so that each stored policy is parsed once and re-parsed
 * only when its text changes.
 *
 * <p>Two ways to key: {@link #get(PolicyKind, String)} by (kind, text) alone, suited to policies
 * shared by many principals; {@link #get(String, PolicyKind, String)} by an owner key (a
 * repository ARN, a policy ARN) whose entry is <em>replaced</em> when the owner's text changes,
 * so stale versions never accumulate. Texts are compared with {@code equals} (identity first), so
 * a changed policy takes effect on the next request.
 *
 * <p>Bounded: past {@code capacity} entries an arbitrary entry is dropped (a miss costs one
 * parse). Thread-safe and lock-free on hits; concurrent misses may parse the same text twice,
 * which is harmless because documents are immutable.
 */
public final class PolicyCache {

    private record Entry(PolicyKind kind, String text, PolicyDocument document) {
    }

    private final int capacity;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** A cache holding at most {@code capacity} documents. */
    public PolicyCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /**
     * The parsed document of {@code text}, keyed by the text itself.
     *
     * @throws PolicyInvalid if the text does not parse as {@code kind} (nothing is cached)
     */
    public PolicyDocument get(PolicyKind kind, String text) {
        return get(kind.name() + '\u0000' + text, kind, text);
    }

    /**
     * The parsed document of {@code owner}'s current {@code text}; replaces the owner's entry when
     * the text (or kind) changed.
     *
     * @throws PolicyInvalid if the text does not parse as {@code kind} (the old entry is dropped)
     */
    public PolicyDocument get(String owner, PolicyKind kind, String text) {
        Objects.requireNonNull(text, "text");
        Entry cached = entries.get(owner);
        if (cached != null && cached.kind() == kind && (cached.text() == text || cached.text().equals(text))) {
            return cached.document();
        }
        PolicyDocument document;
        try {
            document = PolicyDocument.parse(text, kind);
        } catch (PolicyInvalid e) {
            entries.remove(owner);
            throw e;
        }
        entries.put(owner, new Entry(kind, text, document));
        evictIfNeeded();
        return document;
    }

    /** Forgets the entry of {@code owner} (e.g. after DeleteRepositoryPolicy). */
    public void invalidate(String owner) {
        entries.remove(owner);
    }

    /** The number of cached documents. */
    public int size() {
        return entries.size();
    }

    private void evictIfNeeded() {
        Iterator<String> keys = entries.keySet().iterator();
        while (entries.size() > capacity && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
