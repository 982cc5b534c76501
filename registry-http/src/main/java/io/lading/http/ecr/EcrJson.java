package io.lading.http.ecr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** JSON building for ECR responses (AWS JSON 1.1: timestamps as epoch seconds). */
public final class EcrJson {

    /**
     * Strings may be as long as the largest request body: UploadLayerPart's {@code layerPartBlob} is up to
     * 20 MiB base64-encoded (about 28 million characters), over Jackson's default limit of 20 million.
     * A key repeated in any object of a request fails to parse (a {@code SerializationException}, as AWS
     * answers malformed JSON), so no check can pass on one copy while the operation reads the other.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(EcrApi.UPLOAD_PART_BODY).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build()).build();

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
