package io.lading.http.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Single-threaded: every read happens when data is queued or the pipe is finished, so nothing blocks. */
class BodyPipeTest {

    final List<Boolean> reading = new ArrayList<>();

    BodyPipe pipe(long high, long low) {
        return new BodyPipe(reading::add, high, low);
    }

    static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    static ByteBuf buf(int size) {
        return Unpooled.buffer(size).writeZero(size);
    }

    static byte[] readAll(BodyPipe p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[3];
        int n;
        while ((n = p.read(chunk, 0, chunk.length)) >= 0) {
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void readsAcrossBuffersInOrder() throws IOException {
        BodyPipe p = pipe(1 << 20, 1 << 19);
        ByteBuf a = buf("hello ");
        ByteBuf b = buf("wide ");
        ByteBuf c = buf("world");
        p.offer(a, false);
        p.offer(b, false);
        p.offer(c, true);
        assertArrayEquals("hello wide world".getBytes(StandardCharsets.US_ASCII), readAll(p));
        assertEquals(-1, p.read());
        assertEquals(-1, p.read(new byte[4], 0, 4));
        assertTrue(p.isComplete());
        assertEquals(0, a.refCnt());
        assertEquals(0, b.refCnt());
        assertEquals(0, c.refCnt());
        assertEquals(List.of(), reading, "never paused");
    }

    @Test
    void singleByteReadsReturnUnsignedValues() throws IOException {
        BodyPipe p = pipe(100, 50);
        p.offer(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, 0, (byte) 0x80}), true);
        assertEquals(0xff, p.read());
        assertEquals(0, p.read());
        assertEquals(0x80, p.read());
        assertEquals(-1, p.read());
    }

    @Test
    void readRespectsOffsetAndLength() throws IOException {
        BodyPipe p = pipe(100, 50);
        p.offer(buf("abcdef"), true);
        byte[] b = new byte[10];
        assertEquals(0, p.read(b, 3, 0), "zero-length read");
        assertEquals(4, p.read(b, 3, 4));
        assertArrayEquals(new byte[] {0, 0, 0, 'a', 'b', 'c', 'd', 0, 0, 0}, b);
        assertEquals(2, p.read(b, 0, 10), "a read never spans beyond the head buffer's end, and returns what is there");
        assertEquals(-1, p.read(b, 0, 10));
    }

    @Test
    void emptyBuffersAreReleasedAndSkipped() throws IOException {
        BodyPipe p = pipe(100, 50);
        ByteBuf empty = Unpooled.buffer(8);
        ByteBuf data = buf("x");
        ByteBuf emptyLast = Unpooled.buffer(8);
        p.offer(empty, false);
        p.offer(data, false);
        p.offer(emptyLast, true);
        assertEquals(0, empty.refCnt());
        assertEquals(0, emptyLast.refCnt());
        assertEquals('x', p.read());
        assertEquals(-1, p.read());
        assertTrue(p.isComplete());
    }

    @Test
    void lastWithNoDataCompletesImmediately() throws IOException {
        BodyPipe p = pipe(100, 50);
        p.offer(Unpooled.EMPTY_BUFFER, true);
        assertTrue(p.isComplete());
        assertEquals(-1, p.read());
    }

    @Test
    void isCompleteOnlyOnceTheQueueIsDrained() throws IOException {
        BodyPipe p = pipe(100, 50);
        p.offer(buf("ab"), false);
        assertFalse(p.isComplete());
        p.offer(buf("c"), true);
        assertFalse(p.isComplete(), "data still queued");
        readAll(p);
        assertTrue(p.isComplete());
    }

    @Test
    void pausesAtHighWatermarkAndResumesBelowLow() throws IOException {
        BodyPipe p = pipe(10, 5);
        p.offer(buf(6), false);
        assertEquals(List.of(), reading, "6 < 10 queued");
        p.offer(buf(6), false);
        assertEquals(List.of(false), reading, "12 >= 10 queued: pause");
        assertEquals(1, p.pauses());
        p.offer(buf(1), false);
        assertEquals(List.of(false), reading, "already paused: no second pause");
        assertEquals(1, p.pauses());

        byte[] b = new byte[4];
        assertEquals(4, p.read(b, 0, 4)); // 9 queued
        assertEquals(List.of(false), reading);
        assertEquals(4, p.read(b, 0, 4)); // 5 queued: a read fills across buffers (2 + 2)
        assertEquals(List.of(false), reading, "5 is not below the low watermark");
        assertEquals(1, p.read(b, 0, 1)); // 4 queued: resume
        assertEquals(List.of(false, true), reading);
        assertEquals(4, p.read(b, 0, 4)); // 0 queued: the rest of the second buffer and the third
        assertEquals(List.of(false, true), reading, "no second resume");

        p.offer(buf(21), false);          // 21 queued: pause again
        assertEquals(List.of(false, true, false), reading);
        assertEquals(2, p.pauses());
    }

    @Test
    void pausesExactlyAtTheHighWatermark() {
        BodyPipe p = pipe(10, 5);
        p.offer(buf(9), false);
        assertEquals(List.of(), reading);
        p.offer(buf(1), false);
        assertEquals(List.of(false), reading);
        p.close();
    }

    @Test
    void neverPausesOnTheLastBuffer() throws IOException {
        BodyPipe p = pipe(10, 5);
        p.offer(buf(100), true);
        assertEquals(List.of(), reading, "the body is complete: nothing more to hold back");
        assertEquals(100, readAll(p).length);
        assertEquals(List.of(), reading);
    }

    @Test
    void failMakesReadThrowAndReleasesQueuedBuffers() {
        BodyPipe p = pipe(10, 5);
        ByteBuf a = buf(6);
        ByteBuf b = buf(6);
        p.offer(a, false);
        p.offer(b, false);
        IOException cause = new IOException("client went away");
        p.fail(cause);
        assertEquals(0, a.refCnt());
        assertEquals(0, b.refCnt());
        IOException e = assertThrows(IOException.class, () -> p.read(new byte[4], 0, 4));
        assertSame(cause, e);
        assertSame(cause, assertThrows(IOException.class, p::read), "stays failed");
    }

    @Test
    void failAfterPartialReadReleasesRemainder() throws IOException {
        BodyPipe p = pipe(100, 50);
        ByteBuf a = buf("abcdef");
        p.offer(a, false);
        assertEquals('a', p.read());
        p.fail(new IOException("reset"));
        assertEquals(0, a.refCnt());
        assertThrows(IOException.class, p::read);
    }

    @Test
    void firstFailureWins() {
        BodyPipe p = pipe(100, 50);
        IOException first = new IOException("first");
        p.fail(first);
        p.fail(new IOException("second"));
        assertSame(first, assertThrows(IOException.class, p::read));
    }

    @Test
    void offerAfterFailReleasesTheBuffer() {
        BodyPipe p = pipe(100, 50);
        p.fail(new IOException("x"));
        ByteBuf late = buf("late");
        p.offer(late, false);
        assertEquals(0, late.refCnt());
        ByteBuf lateLast = buf("last");
        p.offer(lateLast, true);
        assertEquals(0, lateLast.refCnt());
        assertThrows(IOException.class, p::read);
    }

    @Test
    void closeReleasesQueuedBuffersAndEndsTheStream() throws IOException {
        BodyPipe p = pipe(100, 50);
        ByteBuf a = buf("abc");
        ByteBuf b = buf("def");
        p.offer(a, false);
        p.offer(b, false);
        p.close();
        assertEquals(0, a.refCnt());
        assertEquals(0, b.refCnt());
        assertEquals(-1, p.read());
        p.close(); // idempotent
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void offerAfterCloseReleasesTheBuffer(boolean last) throws IOException {
        BodyPipe p = pipe(10, 5);
        p.close();
        ByteBuf late = buf(50);
        p.offer(late, last);
        assertEquals(0, late.refCnt());
        assertEquals(List.of(), reading, "a closed pipe never pauses the socket");
        assertEquals(-1, p.read());
    }

    @Test
    void failAfterCloseDoesNotThrow() {
        BodyPipe p = pipe(10, 5);
        p.offer(buf("x"), false);
        p.close();
        p.fail(new IOException("late"));
    }

    /**
     * The connection can drop after the last body buffer arrived but before the worker drained it
     * ({@code RequestHandler.channelInactive} calls {@code fail} whenever a request is in flight). The
     * reader must then get either the whole body or an IOException, never a clean end of stream after
     * only part of it.
     */
    @Test
    void failAfterLastNeverTruncatesTheBodySilently() throws IOException {
        BodyPipe p = pipe(100, 50);
        ByteBuf a = buf("hello ");
        ByteBuf b = buf("world");
        p.offer(a, false);
        p.offer(b, true);
        assertEquals('h', p.read());
        p.fail(new IOException("client closed the connection"));
        byte[] rest;
        try {
            rest = readAll(p);
        } catch (IOException expected) {
            assertEquals(0, a.refCnt());
            assertEquals(0, b.refCnt());
            return;
        }
        assertEquals("ello world", new String(rest, StandardCharsets.US_ASCII),
                "a failure after the last buffer silently truncated the body to a clean EOF");
        assertEquals(0, a.refCnt());
        assertEquals(0, b.refCnt());
    }
}
