package io.lading.http.oci;

/** Carries an {@link OciError} that has no domain meaning (unknown route, wrong method) to the renderer. */
public final class OciErrorException extends RuntimeException {

    private final OciError error;

    public OciErrorException(OciError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public OciError error() {
        return error;
    }
}
