package io.lading.http.ecr;

import software.amazon.awssdk.services.ecr.model.ImageIdentifier;

/** ECR image identifiers for tests: by tag, by digest, or both. */
final class ImageIds {

    private ImageIds() {
    }

    static ImageIdentifier byTag(String tag) {
        return ImageIdentifier.builder().imageTag(tag).build();
    }

    static ImageIdentifier byDigest(String digest) {
        return ImageIdentifier.builder().imageDigest(digest).build();
    }

    static ImageIdentifier both(String digest, String tag) {
        return ImageIdentifier.builder().imageDigest(digest).imageTag(tag).build();
    }
}
