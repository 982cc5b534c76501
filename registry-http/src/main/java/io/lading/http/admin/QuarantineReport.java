package io.lading.http.admin;

import io.lading.core.spi.QuarantinedDocument;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /_lading/quarantine}: every metadata document that could not be read and was
 * moved aside, oldest first, as {@code {"count": n, "documents": [{"key", "originalPath",
 * "quarantinePath", "reason", "quarantinedAt"}]}}. Stateless.
 */
public final class QuarantineReport {

    private QuarantineReport() {
    }

    public static Map<String, Object> of(List<QuarantinedDocument> documents) {
        List<Map<String, String>> listed = documents.stream()
                .sorted(Comparator.comparing(d -> String.valueOf(d.quarantinedAt())))
                .map(d -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("key", d.key());
                    m.put("originalPath", d.originalPath());
                    m.put("quarantinePath", d.quarantinePath());
                    m.put("reason", d.reason());
                    m.put("quarantinedAt", String.valueOf(d.quarantinedAt()));
                    return m;
                }).toList();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("count", listed.size());
        report.put("documents", listed);
        return report;
    }
}
