package io.lading.core.tag;

import io.lading.core.error.RegistryException.TagInvalid;
import java.util.regex.Pattern;

/**
 * An image tag: the OCI grammar's first character ({@code [A-Za-z0-9_]}) followed by up to 299 of
 * {@code [A-Za-z0-9._-]}, so ECR's 300-character tags fit while {@code .}, {@code ..} and anything
 * traversal-shaped cannot be a tag.
 */
public record Tag(String value) {

    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,299}");

    public Tag {
        if (value == null || !PATTERN.matcher(value).matches()) {
            throw new TagInvalid("invalid tag: must match [A-Za-z0-9_][A-Za-z0-9._-]{0,299}");
        }
    }

    public static Tag of(String value) {
        return new Tag(value);
    }

    public static boolean isValid(String value) {
        return value != null && PATTERN.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
