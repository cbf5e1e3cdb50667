package dev.kinetic.internal.log;

import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobStore;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Appends output to a stored log (see {@link LogKeys} for the layout). Bytes collect in the open segment; each
 * {@link #flush()} stores what is new as an immutable chunk, so no object is written twice and a flush costs the new
 * bytes only, not the whole segment. A segment that has reached {@link #SEGMENT_BYTES} at a line end, or
 * {@link #MAX_CHUNKS} chunks, is closed: written whole, once, and its chunks deleted. {@link #close()} closes the
 * last one. Thread-safe.
 */
public final class StoreLogWriter {
    public static final int SEGMENT_BYTES = 4 * 1024 * 1024;
    /** A quiet job flushes a small chunk now and then: closing after this many keeps a log's object count low. */
    static final int MAX_CHUNKS = 64;

    private final BlobStore store;
    private final String prefix;
    private ByteArrayOutputStream current = new ByteArrayOutputStream();
    /** -1 until the first store call finds where an earlier writer stopped (not in the constructor: the store may
     * be unreachable when the agent starts, and the log must not stop the job). */
    private int segment = -1;

    private int chunks;
    private int flushed;
    private boolean closeFailed;
    private long closeFailedAt;
    private int hinted = -1;

    public StoreLogWriter(BlobStore store, JobId jobId) {
        this(store, JobLayout.logPrefix(jobId));
    }

    /** Writes the log of host {@code host} of a multi-host job (host 0's log is the job's). */
    public StoreLogWriter(BlobStore store, JobId jobId, int host) {
        this(store, JobLayout.logPrefix(jobId, host));
    }

    /**
     * A writer that continues a log under {@code prefix} after whatever an earlier writer left there (an earlier
     * attempt of the job): its open segment, if any, is closed first.
     */
    public StoreLogWriter(BlobStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    public synchronized void write(byte[] data, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (data[i] == '\n' && current.size() + (i + 1 - start) >= SEGMENT_BYTES) {
                current.write(data, start, i + 1 - start);
                tryCloseSegment();
                start = i + 1;
            }
        }
        if (start < end) {
            current.write(data, start, end - start);
            if (current.size() >= 2 * SEGMENT_BYTES) {
                tryCloseSegment(); // a line longer than a segment: split it rather than grow without bound
            }
        }
    }

    /**
     * Closes the segment from the output pump, which must never stop on a store error (the task would block on a
     * full pipe): the bytes stay in memory, and the next flush or close tries again; meanwhile no new attempt for a
     * few seconds, so an outage costs one timeout, not one per line.
     */
    private void tryCloseSegment() {
        if (closeFailed && System.nanoTime() - closeFailedAt < 5_000_000_000L) {
            return;
        }
        try {
            closeSegment();
            closeFailed = false;
        } catch (RuntimeException e) {
            closeFailed = true;
            closeFailedAt = System.nanoTime();
        }
    }

    /** Stores the bytes written since the last flush as a new chunk (nothing when there are none). */
    public synchronized void flush() {
        if (current.size() == flushed) {
            return;
        }
        start();
        byte[] all = current.toByteArray();
        store.put(LogKeys.chunk(prefix, segment, chunks), Arrays.copyOfRange(all, flushed, all.length));
        chunks++;
        flushed = all.length;
        if (chunks >= MAX_CHUNKS && all[all.length - 1] == '\n') {
            closeSegment();
        }
    }

    /** Closes the open segment: the last bytes are stored and nothing is left in chunks. */
    public synchronized void close() {
        if (current.size() > 0 || chunks > 0) {
            closeSegment();
        }
    }

    /**
     * Notes the last closed segment for readers ({@link LogEnd}) under a key of its own, written once, and drops the
     * previous note. Best effort: readers search without it.
     */
    private void hint(int lastClosed) {
        try {
            store.put(LogKeys.endHint(prefix, lastClosed), new byte[0]);
            if (hinted >= 0) {
                store.delete(LogKeys.endHint(prefix, hinted));
            }
            hinted = lastClosed;
        } catch (RuntimeException e) {
            // readers search from an older note, or from the start
        }
    }

    /** Writes the segment whole, once, then drops its chunks; a reader that sees both uses the segment. */
    private void closeSegment() {
        start();
        store.put(LogKeys.segment(prefix, segment), current.toByteArray());
        LogEnd.deleteChunks(store, prefix, segment);
        hint(segment);
        segment++;
        chunks = 0;
        flushed = 0;
        current = new ByteArrayOutputStream();
    }

    private void start() {
        if (segment < 0) {
            segment = LogEnd.find(store, prefix).nextSegment(store);
        }
    }
}
