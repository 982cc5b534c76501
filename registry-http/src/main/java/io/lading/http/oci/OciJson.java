package io.lading.http.oci;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Serialises response bodies of the distribution API. */
public final class OciJson {

    private OciJson() {
    }

    public static byte[] write(Object value) {
        try {
            return OciApi.JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
