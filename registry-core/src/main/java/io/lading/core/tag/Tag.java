package io.lading.core.tag;

import io.lading.core.error.RegistryException.TagInvalid;

/**
 * An image tag: the OCI grammar's first character ({@code [A-Za-z0-9_]}) followed by up to 299 of
 * {@code [A-Za-z0-9._-]}, so ECR's 300-character tags fit while {@code .}, {@code ..} and anything
 * traversal-shaped cannot be a tag.
 */
public record Tag(String value) {

    public Tag {
        if (!isValid(value)) {
            throw new TagInvalid("invalid tag: must match [A-Za-z0-9_][A-Za-z0-9._-]{0,299}");
        }
    }

    public static Tag of(String value) {
        return new Tag(value);
    }

    /** True if {@code value} satisfies {@code [A-Za-z0-9_][A-Za-z0-9._-]{0,299}} (checked without a regular expression: hot path). */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > 300) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!alnum && (i == 0 || (c != '.' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return value;
    }
}
