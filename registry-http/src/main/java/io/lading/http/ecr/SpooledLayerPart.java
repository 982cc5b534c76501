package io.lading.http.ecr;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * The body of an {@code UploadLayerPart} call, kept on disk rather than in memory: up to 28 MB of JSON
 * whose {@code layerPartBlob} is a 20 MiB part in base64. {@link #receive} copies the streamed body to a
 * temp file while hashing it (SigV4 signs the body's hash, so nothing of it can be trusted before the
 * whole body is in); {@link #parse}, called once the signature is verified, reads that file with
 * Jackson's streaming parser and decodes the blob member through Jackson's base64 decoder into a second
 * temp file, hashing it on the way. Memory per call is a few buffers, whatever the part's size.
 * {@link #close} deletes both files. Not thread-safe: one call's worker uses it.
 */
final class SpooledLayerPart implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    private final Supplier<Path> tempFiles;
    private final Path raw;
    private final String payloadHash;
    private Path decoded;

    private SpooledLayerPart(Supplier<Path> tempFiles, Path raw, String payloadHash) {
        this.tempFiles = tempFiles;
        this.raw = raw;
        this.payloadHash = payloadHash;
    }

    /**
     * Copies {@code body} to a new temp file, hashing it.
     *
     * @param tempFiles gives fresh paths in a private temp directory
     * @param maxBytes a longer body is refused with a {@code SerializationException} (chunked bodies
     *     carry no Content-Length to refuse from the head)
     * @throws BodyUnreadable when the body cannot be read (the client went away)
     * @throws IOException when the temp file cannot be written
     */
    static SpooledLayerPart receive(InputStream body, Supplier<Path> tempFiles, long maxBytes) throws IOException {
        Path raw = tempFiles.get();
        MessageDigest sha256 = sha256();
        try (OutputStream out = Files.newOutputStream(raw)) {
            byte[] buf = new byte[BUFFER];
            long total = 0;
            int n;
            while ((n = readBody(body, buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw EcrErrorType.SERIALIZATION.error("Request body exceeds the " + maxBytes
                            + " bytes UploadLayerPart accepts");
                }
                sha256.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(raw);
            throw e;
        }
        return new SpooledLayerPart(tempFiles, raw, HexFormat.of().formatHex(sha256.digest()));
    }

    /** The client stopped sending or went away: the body could not be read (not a fault of the disk). */
    static final class BodyUnreadable extends IOException {
        BodyUnreadable(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static int readBody(InputStream body, byte[] buf) throws BodyUnreadable {
        try {
            return body.read(buf);
        } catch (IOException e) {
            throw new BodyUnreadable(e);
        }
    }

    /** Lower-case hex SHA-256 of the body as received, for the SigV4 check. */
    String payloadHash() {
        return payloadHash;
    }

    /**
     * Parses the body as a JSON object; the string member {@code blobMember} is decoded as base64 into a
     * temp file and held as an {@link EcrInput.Blob}, every other member is parsed as usual. Errors are
     * the control API's {@code SerializationException}s, as for any other body.
     */
    ObjectNode parse(String blobMember) throws IOException {
        ObjectNode out = EcrJson.object();
        if (Files.size(raw) == 0) {
            return out;
        }
        try (InputStream in = Files.newInputStream(raw); JsonParser p = EcrJson.MAPPER.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw EcrErrorType.SERIALIZATION.error("Request body must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (out.has(name)) {
                    throw EcrErrorType.SERIALIZATION.error("Request body is not valid JSON: Duplicate field '"
                            + name + "'");
                }
                if (name.equals(blobMember) && value == JsonToken.VALUE_STRING) {
                    out.putPOJO(name, decode(p, blobMember));
                } else {
                    out.set(name, EcrJson.MAPPER.readTree(p));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw EcrErrorType.SERIALIZATION.error("Request body is not valid JSON");
            }
        } catch (JsonProcessingException e) {
            throw EcrErrorType.SERIALIZATION.error("Request body is not valid JSON: " + e.getOriginalMessage());
        }
        return out;
    }

    private EcrInput.Blob decode(JsonParser p, String member) throws IOException {
        if (decoded != null) {
            throw new IllegalStateException("one blob member per body");
        }
        decoded = tempFiles.get();
        MessageDigest sha256 = sha256();
        long length;
        try (DigestOutputStream out = new DigestOutputStream(
                new BufferedOutputStream(Files.newOutputStream(decoded), BUFFER), sha256)) {
            length = p.readBinaryValue(Base64Variants.MIME_NO_LINEFEEDS, out);
        } catch (JsonParseException e) {
            throw EcrErrorType.SERIALIZATION.error("Member '" + member + "' is not valid base64");
        }
        return new EcrInput.Blob(decoded, length, sha256.digest());
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(raw);
        if (decoded != null) {
            Files.deleteIfExists(decoded);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
