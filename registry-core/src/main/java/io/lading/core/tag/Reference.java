package io.lading.core.tag;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.TagInvalid;

/** What a manifest request names: a tag or a digest. */
public sealed interface Reference {

    record ByTag(Tag tag) implements Reference {
        @Override
        public String toString() {
            return tag.value();
        }
    }

    record ByDigest(Digest digest) implements Reference {
        @Override
        public String toString() {
            return digest.toString();
        }
    }

    /**
     * Parses the {@code <reference>} path element: a digest if it contains {@code :}, else a tag.
     *
     * @throws io.lading.core.error.RegistryException.DigestInvalid for a malformed digest
     * @throws TagInvalid for a malformed tag
     */
    static Reference parse(String text) {
        if (text != null && text.indexOf(':') >= 0) {
            return new ByDigest(Digest.parse(text));
        }
        return new ByTag(new Tag(text));
    }
}
