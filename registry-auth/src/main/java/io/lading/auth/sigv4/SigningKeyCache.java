package io.lading.auth.sigv4;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Derives SigV4 signing keys ({@code kSigning} of the HMAC chain) and keeps the most recently used ones.
 * A key depends only on (secret, date, region, service), so one derivation serves a client for a whole
 * day and a request costs a single HMAC of the string to sign instead of five.
 *
 * <p>Bounded LRU; thread-safe (a short lock around the map, never held while deriving).
 */
final class SigningKeyCache {

    private final int capacity;
    private final Map<Key, byte[]> keys;

    SigningKeyCache(int capacity) {
        this.capacity = capacity;
        this.keys = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
                return size() > SigningKeyCache.this.capacity;
            }
        };
    }

    /** The signing key; callers must not modify the returned array. */
    byte[] signingKey(String secret, String date, String region, String service) {
        Key key = new Key(secret, date, region, service);
        synchronized (keys) {
            byte[] cached = keys.get(key);
            if (cached != null) {
                return cached;
            }
        }
        byte[] derived = derive(secret, date, region, service);
        synchronized (keys) {
            keys.put(key, derived);
        }
        return derived;
    }

    int size() {
        synchronized (keys) {
            return keys.size();
        }
    }

    static byte[] derive(String secret, String date, String region, String service) {
        byte[] kDate = HmacSha256.mac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        byte[] kRegion = HmacSha256.mac(kDate, region);
        byte[] kService = HmacSha256.mac(kRegion, service);
        return HmacSha256.mac(kService, "aws4_request");
    }

    private record Key(String secret, String date, String region, String service) {
        @Override
        public String toString() {
            return "Key[" + date + "/" + region + "/" + service + "]";
        }
    }
}
