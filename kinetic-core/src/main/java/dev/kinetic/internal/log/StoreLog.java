package dev.kinetic.internal.log;

import dev.kinetic.KineticException;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A log in the store, as {@link StoreLogWriter} writes it (layout: {@link LogKeys}): read whole, its last lines
 * without listing it, or followed as it grows.
 */
public final class StoreLog {
    private static final int READ_BYTES = 1 << 20;

    private final BlobStore store;
    private final String prefix;

    public StoreLog(BlobStore store, JobId jobId) {
        this(store, JobLayout.logPrefix(jobId));
    }

    /** The log of host {@code host} of a multi-host job (host 0's log is the job's). */
    public StoreLog(BlobStore store, JobId jobId, int host) {
        this(store, JobLayout.logPrefix(jobId, host));
    }

    public StoreLog(BlobStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    /**
     * The last {@code lines} lines. Finds the log's end with existence checks ({@link LogEnd}) and reads backwards
     * from there, so the cost does not grow with the log.
     */
    public List<String> tail(int lines) {
        LogEnd end = LogEnd.find(store, prefix);
        Segment open = Segment.chunked(store, end.openChunks());
        // A view, not a copy: tail asks for the last few segments only.
        List<ByteSource> sources = new AbstractList<>() {
            @Override
            public ByteSource get(int index) {
                return index > end.lastClosed() ? open : new LazySegment(store, LogKeys.segment(prefix, index));
            }

            @Override
            public int size() {
                return end.lastClosed() + 2;
            }
        };
        return LogTail.tail(sources, lines);
    }

    /** The whole log. */
    public List<String> all() {
        List<String> out = new ArrayList<>();
        LineAssembler lines = new LineAssembler(out::add);
        for (Segment s : Segment.listed(store, prefix).values()) {
            long size = s.size();
            for (long off = 0; off < size; off += READ_BYTES) {
                lines.accept(s.read(off, (int) Math.min(READ_BYTES, size - off)));
            }
        }
        lines.finish();
        return out;
    }

    /**
     * Delivers every line from the start, then new ones as they are stored, until {@code ended} is true and a last
     * read found nothing new. An open segment is read chunk by chunk; when it closes, reading goes on in the closed
     * segment at the same offset (it holds the same bytes).
     */
    public void follow(Consumer<String> sink, BooleanSupplier ended, long pollMillis) {
        LineAssembler lines = new LineAssembler(sink);
        int segment = 0;
        long offset = 0;
        while (true) {
            boolean finished = ended.getAsBoolean();
            TreeMap<Integer, Segment> segments = Segment.listed(store, prefix);
            boolean progressed = false;
            while (segments.containsKey(segment)) {
                Segment s = segments.get(segment);
                long size = s.size();
                if (offset < size) {
                    byte[] data = s.read(offset, (int) Math.min(READ_BYTES, size - offset));
                    offset += data.length;
                    lines.accept(data);
                    progressed = true;
                    continue;
                }
                if (s.closed() || segments.containsKey(segment + 1)) {
                    segment++;
                    offset = 0;
                    continue;
                }
                break;
            }
            if (finished && !progressed) {
                lines.finish();
                return;
            }
            if (!progressed) {
                sleep(pollMillis);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KineticException("interrupted while following logs", e);
        }
    }

    /** A closed segment whose size is read only when asked (tail reads just the last few). */
    private static final class LazySegment implements ByteSource {
        private final BlobStore store;
        private final String key;
        private long size = -1;

        LazySegment(BlobStore store, String key) {
            this.store = store;
            this.key = key;
        }

        @Override
        public long size() {
            if (size < 0) {
                size = store.stat(key).map(BlobInfo::size).orElse(0L);
            }
            return size;
        }

        @Override
        public byte[] read(long offset, int length) {
            return store.getRange(key, offset, length);
        }
    }
}
