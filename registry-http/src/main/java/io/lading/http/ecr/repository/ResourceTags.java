package io.lading.http.ecr.repository;

import io.lading.http.ecr.EcrErrorType;
import io.lading.http.ecr.EcrInput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validation of ECR resource tags ({@code [{"Key":..,"Value":..}]}): at most 50, ECR's key/value rules. */
public final class ResourceTags {

    public static final int MAX = 50;

    private ResourceTags() {
    }

    /** Parses a tag list (null means none) into an ordered map; a later duplicate key wins. */
    public static Map<String, String> parse(List<EcrInput> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags == null) {
            return out;
        }
        for (EcrInput t : tags) {
            String key = t.string("Key");
            String value = t.string("Value");
            if (key == null || key.isEmpty() || key.length() > 128) {
                throw EcrErrorType.INVALID_TAG_PARAMETER.error("Tag keys must be 1 to 128 characters long");
            }
            if (key.startsWith("aws:")) {
                throw EcrErrorType.INVALID_TAG_PARAMETER.error("Tag keys may not start with the reserved prefix 'aws:'");
            }
            if (value == null) {
                value = "";
            }
            if (value.length() > 256) {
                throw EcrErrorType.INVALID_TAG_PARAMETER.error("Tag values may be at most 256 characters long");
            }
            out.put(key, value);
        }
        return out;
    }

    public static void checkCount(int count) {
        if (count > MAX) {
            throw EcrErrorType.TOO_MANY_TAGS.error("A repository may carry at most " + MAX + " tags");
        }
    }
}
