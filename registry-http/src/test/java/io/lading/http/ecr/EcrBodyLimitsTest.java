package io.lading.http.ecr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.testing.LadingServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ECR API picks each call's body limit from its {@code X-Amz-Target} before reading any of the body:
 * an unsigned client declaring 31 MB for CreateRepository is answered from the head, with nothing read
 * and no {@code 100 Continue}; only UploadLayerPart and PutImage may carry large bodies.
 */
class EcrBodyLimitsTest {

    @RegisterExtension
    static LadingServer server = new LadingServer();

    private static String answerToHeadOnly(String target, long contentLength) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonEC2ContainerRegistry_V20150921." + target
                    + "\r\nContent-Type: application/x-amz-json-1.1\r\nExpect: 100-continue\r\nContent-Length: "
                    + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSmallOperationDeclaringALargeBodyIsRefusedFromItsHead() throws Exception {
        String answer = answerToHeadOnly("CreateRepository", 31_000_000);
        assertTrue(answer.startsWith("HTTP/1.1 4") && answer.contains("SerializationException")
                && !answer.contains("100 Continue"), answer);
    }

    @Test
    void aSmallOperationMayNotCarryMoreThan64KiB() throws Exception {
        String answer = answerToHeadOnly("SetRepositoryPolicy", EcrApi.SMALL_BODY + 1);
        assertTrue(answer.contains("SerializationException"), answer);
    }

    @Test
    void anUploadLayerPartOfTheDocumentedMaximumIsNotRefusedFromItsHead() throws Exception {
        String answer = answerToHeadOnly("UploadLayerPart", 4L * ((20 * 1024 * 1024 + 2) / 3) + 200);
        assertTrue(answer.startsWith("HTTP/1.1 100"), answer);
    }
}
