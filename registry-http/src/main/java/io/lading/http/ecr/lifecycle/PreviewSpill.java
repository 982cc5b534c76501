package io.lading.http.ecr.lifecycle;

import io.lading.core.spi.LifecyclePreviewStore.Entry;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The entries of a preview being computed, written to a file as the evaluation decides them (newest image
 * first) and read back in the order the preview lists them (push time ascending, then digest ascending), so
 * that a preview of any size holds one entry in memory, not all of them. Not thread-safe; {@link #close}
 * deletes the file.
 *
 * <p>A record is the digest and the JSON (UTF-8), then a trailer: the tagged flag, both lengths and the
 * push time. Reading walks the trailers from the end of the file. The evaluation orders equal push times by
 * digest ascending, the listing too: a run of records with one push time is read back in file order (only
 * the run's offsets are held; equal push times are rare, they are microseconds).
 */
final class PreviewSpill implements Closeable {

    private static final int TRAILER = 1 + 4 + 4 + 8 + 4;

    private final Path file;
    private final DataOutputStream out;
    /** The channels of the iterations so far, closed by {@link #close} if one was left unfinished. */
    private final List<FileChannel> readers = new ArrayList<>();
    private int count;

    PreviewSpill(Path file) {
        this.file = file;
        try {
            this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 64 * 1024));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the preview spill " + file, e);
        }
    }

    /** Appends the next entry of the evaluation (each no newer than the one before). */
    void add(Entry entry, Instant pushedAt) {
        byte[] digest = entry.imageDigest().getBytes(StandardCharsets.UTF_8);
        byte[] json = entry.json().getBytes(StandardCharsets.UTF_8);
        try {
            out.write(digest);
            out.write(json);
            out.writeByte(entry.tagged() ? 1 : 0);
            out.writeInt(digest.length);
            out.writeInt(json.length);
            out.writeLong(pushedAt.getEpochSecond());
            out.writeInt(pushedAt.getNano());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the preview spill " + file, e);
        }
        count++;
    }

    /** How many entries were added. */
    int count() {
        return count;
    }

    /**
     * The entries in listing order. Call once every entry is added; each iteration reads the file again
     * (a retried transaction iterates more than once).
     */
    Iterable<Entry> inListingOrder() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the preview spill " + file, e);
        }
        return ListingOrder::new;
    }

    @Override
    public void close() {
        try {
            out.close();
            for (FileChannel c : readers) {
                c.close();
            }
        } catch (IOException e) {
            // deleted below all the same
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the preview spill " + file, e);
        }
    }

    /** Where one record is and what its trailer says. */
    private record Ref(long start, boolean tagged, int digestLength, int jsonLength, long seconds, int nanos) {

        boolean samePush(Ref o) {
            return seconds == o.seconds && nanos == o.nanos;
        }
    }

    /** Walks the file from its end, a run of equal push times at a time. */
    private final class ListingOrder implements Iterator<Entry> {

        private final FileChannel channel;
        private long position;
        private Ref lookahead;
        private final Deque<Ref> run = new ArrayDeque<>();
        private int left = count;

        ListingOrder() {
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
                readers.add(channel);
                position = channel.size();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the preview spill " + file, e);
            }
        }

        @Override
        public boolean hasNext() {
            if (left == 0) {
                closeQuietly();
                return false;
            }
            return true;
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            try {
                if (run.isEmpty()) {
                    fillRun();
                }
                left--;
                return read(run.pop());
            } catch (IOException e) {
                closeQuietly();
                throw new UncheckedIOException("cannot read the preview spill " + file, e);
            }
        }

        /** The records before {@link #position} with the push time of the last one, in file order. */
        private void fillRun() throws IOException {
            Ref last = lookahead != null ? lookahead : previous();
            lookahead = null;
            List<Ref> found = new ArrayList<>();
            found.add(last);
            while (position > 0) {
                Ref before = previous();
                if (!before.samePush(last)) {
                    lookahead = before;
                    break;
                }
                found.add(before);
            }
            for (Ref r : found) {
                run.push(r); // found runs backwards through the file: pushing puts the run in file order
            }
        }

        private Ref previous() throws IOException {
            ByteBuffer t = ByteBuffer.allocate(TRAILER);
            readFully(t, position - TRAILER);
            t.flip();
            boolean tagged = t.get() == 1;
            int digestLength = t.getInt();
            int jsonLength = t.getInt();
            long seconds = t.getLong();
            int nanos = t.getInt();
            long start = position - TRAILER - jsonLength - digestLength;
            position = start;
            return new Ref(start, tagged, digestLength, jsonLength, seconds, nanos);
        }

        private Entry read(Ref r) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(r.digestLength() + r.jsonLength());
            readFully(b, r.start());
            byte[] bytes = b.array();
            return new Entry(new String(bytes, 0, r.digestLength(), StandardCharsets.UTF_8), r.tagged(),
                    new String(bytes, r.digestLength(), r.jsonLength(), StandardCharsets.UTF_8));
        }

        private void readFully(ByteBuffer b, long at) throws IOException {
            long p = at;
            while (b.hasRemaining()) {
                int n = channel.read(b, p);
                if (n < 0) {
                    throw new EOFException("the preview spill " + file + " ends early");
                }
                p += n;
            }
        }

        private void closeQuietly() {
            try {
                channel.close();
            } catch (IOException e) {
                // read-only: nothing is lost
            }
        }
    }
}
