package io.lading.core.repository;

import io.lading.core.error.RegistryException.NameInvalid;
import java.util.regex.Pattern;

/**
 * A repository name as ECR and the OCI distribution spec define it: 2 to 256 characters of lower-case
 * path components separated by {@code /}. Components never start with {@code .} or {@code _}, so a name
 * cannot be traversal-shaped and never collides with the store's {@code _}-prefixed key segments.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {

    public static final String PATTERN_TEXT =
            "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*";
    private static final Pattern PATTERN = Pattern.compile(PATTERN_TEXT);

    public RepositoryName {
        if (value == null || value.length() < 2 || value.length() > 256 || !PATTERN.matcher(value).matches()) {
            throw new NameInvalid(value, "Invalid parameter at 'repositoryName' failed to satisfy constraint: "
                    + "'must satisfy regular expression '" + PATTERN_TEXT + "'' and be 2 to 256 characters long");
        }
    }

    private static final int CACHE_LIMIT = 10_000;
    private static final java.util.concurrent.ConcurrentHashMap<String, RepositoryName> VALID =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The name, validated. Valid names are remembered (a bounded cache), so the hot path pays a map
     * lookup instead of a regular-expression match; invalid names are never cached.
     */
    public static RepositoryName of(String value) {
        RepositoryName known = value == null ? null : VALID.get(value);
        if (known != null) {
            return known;
        }
        RepositoryName name = new RepositoryName(value);
        if (VALID.size() >= CACHE_LIMIT) {
            VALID.clear();
        }
        VALID.put(value, name);
        return name;
    }

    @Override
    public int compareTo(RepositoryName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
