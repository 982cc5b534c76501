package io.lading.http.ecr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.testing.LadingServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The ECR API decides on a call's head, before reading any of its body: the body limit comes from
 * {@code X-Amz-Target} (only UploadLayerPart and PutImage may carry large bodies), and a large body or
 * one sent after {@code 100 Continue} is read only when the head could authenticate (well-formed
 * SigV4, known key, time within the skew). Refusals come with no {@code 100 Continue}.
 */
class EcrBodyLimitsTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server();

    private static final long MAX_PART_BODY = 4L * ((20 * 1024 * 1024 + 2) / 3) + 200;

    /** Sends only the head, expecting 100 Continue; returns the first bytes of what the server answers. */
    private static String answerToHeadOnly(String target, long contentLength, String signedHeaders) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: " + server.hostPort()
                    + "\r\nX-Amz-Target: AmazonEC2ContainerRegistry_V20150921." + target
                    + "\r\nContent-Type: application/x-amz-json-1.1\r\n" + signedHeaders
                    + "Expect: 100-continue\r\nContent-Length: " + contentLength + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
        }
    }

    /** The signature headers of a head for {@code target}, signed by this key at this clock. */
    private static String signature(String target, String accessKey, String secret, Clock clock) {
        SdkHttpRequest signed = EcrTestSupport.signHead("http://" + server.hostPort() + "/", target, accessKey,
                secret, clock);
        StringBuilder h = new StringBuilder();
        for (String name : new String[] {"Authorization", "X-Amz-Date"}) {
            h.append(name).append(": ").append(signed.firstMatchingHeader(name).orElseThrow()).append("\r\n");
        }
        return h.toString();
    }

    private static String testerSignature(String target) {
        return signature(target, EcrTestSupport.ACCESS_KEY, EcrTestSupport.SECRET, Clock.systemUTC());
    }

    @Test
    void aSmallOperationDeclaringALargeBodyIsRefusedFromItsHead() throws Exception {
        String answer = answerToHeadOnly("CreateRepository", 31_000_000, testerSignature("CreateRepository"));
        assertTrue(answer.startsWith("HTTP/1.1 4") && answer.contains("SerializationException")
                && !answer.contains("100 Continue"), answer);
    }

    @Test
    void aSmallOperationMayNotCarryMoreThan64KiB() throws Exception {
        String answer = answerToHeadOnly("SetRepositoryPolicy", EcrApi.SMALL_BODY + 1,
                testerSignature("SetRepositoryPolicy"));
        assertTrue(answer.contains("SerializationException"), answer);
    }

    @Test
    void anUploadLayerPartOfTheDocumentedMaximumIsNotRefusedFromItsHead() throws Exception {
        String answer = answerToHeadOnly("UploadLayerPart", MAX_PART_BODY, testerSignature("UploadLayerPart"));
        assertTrue(answer.startsWith("HTTP/1.1 100"), answer);
    }

    @Test
    void anUploadLayerPartLargerThanTheMaximumIsRefusedFromItsHead() throws Exception {
        String answer = answerToHeadOnly("UploadLayerPart", EcrApi.UPLOAD_PART_BODY + 1L,
                testerSignature("UploadLayerPart"));
        assertTrue(answer.startsWith("HTTP/1.1 4") && answer.contains("SerializationException")
                && !answer.contains("100 Continue"), answer);
    }

    @Test
    void anUnsignedLargeBodyIsRefusedBeforeAnyOfItIsRead() throws Exception {
        String answer = answerToHeadOnly("UploadLayerPart", MAX_PART_BODY, "");
        assertTrue(answer.startsWith("HTTP/1.1 4") && answer.contains("MissingAuthenticationTokenException")
                && !answer.contains("100 Continue"), answer);
    }

    @Test
    void aLargeBodySignedByAnUnknownKeyIsRefusedBeforeAnyOfItIsRead() throws Exception {
        String answer = answerToHeadOnly("UploadLayerPart", MAX_PART_BODY,
                signature("UploadLayerPart", "AKIANOSUCHKEY0000000", "whatever", Clock.systemUTC()));
        assertTrue(answer.startsWith("HTTP/1.1 4") && answer.contains("UnrecognizedClientException")
                && !answer.contains("100 Continue"), answer);
    }

    @Test
    void aLargeBodySignedOutsideTheClockSkewIsRefusedBeforeAnyOfItIsRead() throws Exception {
        Clock anHourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        String answer = answerToHeadOnly("UploadLayerPart", MAX_PART_BODY,
                signature("UploadLayerPart", EcrTestSupport.ACCESS_KEY, EcrTestSupport.SECRET, anHourAgo));
        assertTrue(answer.startsWith("HTTP/1.1 4") && answer.contains("Signature expired")
                && !answer.contains("100 Continue"), answer);
    }

    @Test
    void aMalformedSignatureOnASmallBodyIsAnsweredAfterTheBodyOnAnOpenConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            String body = "{}";
            s.getOutputStream().write(("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: "
                    + "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories\r\nAuthorization: AWS4-HMAC-SHA256 x"
                    + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[4096];
            int n = s.getInputStream().read(buf);
            String answer = new String(buf, 0, n, StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 4") && !answer.toLowerCase().contains("connection: close"), answer);
        }
    }
}
