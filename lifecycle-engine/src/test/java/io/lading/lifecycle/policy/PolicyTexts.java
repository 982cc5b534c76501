package io.lading.lifecycle.policy;

/** Builders for policy texts in validation tests. */
final class PolicyTexts {

    static final String EXPIRE = "\"type\":\"expire\"";
    static final String ARCHIVE = "\"type\":\"transition\",\"targetStorageClass\":\"archive\"";
    static final String UNTAGGED_KEEP_1 = "\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1";

    private PolicyTexts() {
    }

    static String rule(int priority, String selection, String action) {
        return "{\"rulePriority\":" + priority + ",\"selection\":{" + selection + "},\"action\":{" + action + "}}";
    }

    /** The rules wrapped in a document and padded with trailing spaces to the 100-character minimum. */
    static String doc(String... rules) {
        return pad("{\"rules\":[" + String.join(",", rules) + "]}");
    }

    static String pad(String text) {
        return text.length() >= 100 ? text : text + " ".repeat(100 - text.length());
    }

    static String tagged(String list, String values, String count) {
        return "\"tagStatus\":\"tagged\",\"" + list + "\":[" + values + "]," + count;
    }

    static String keep(int n) {
        return "\"countType\":\"imageCountMoreThan\",\"countNumber\":" + n;
    }

    static String days(String type, int n) {
        return "\"countType\":\"" + type + "\",\"countUnit\":\"days\",\"countNumber\":" + n;
    }
}
