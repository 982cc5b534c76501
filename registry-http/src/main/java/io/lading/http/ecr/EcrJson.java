package io.lading.http.ecr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** JSON building for ECR responses (AWS JSON 1.1: timestamps as epoch seconds). */
public final class EcrJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private EcrJson() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Epoch seconds with millisecond precision, as AWS JSON 1.1 encodes timestamps. */
    public static double epochSeconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }
}
