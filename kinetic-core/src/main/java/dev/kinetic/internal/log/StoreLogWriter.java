package dev.kinetic.internal.log;

import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobStore;
import java.io.ByteArrayOutputStream;

/**
 * Appends output to a job's stored log. Bytes collect in the current segment; {@link #flush()} stores it whole
 * (replacing the previous, shorter version), and a segment that has reached {@link #SEGMENT_BYTES} at a line end
 * is closed so the next bytes go to a new one. Thread-safe.
 */
public final class StoreLogWriter {
    public static final int SEGMENT_BYTES = 4 * 1024 * 1024;

    private final BlobStore store;
    private final JobId jobId;
    private final int host;
    private ByteArrayOutputStream current = new ByteArrayOutputStream();
    private int index;
    private boolean dirty;

    public StoreLogWriter(BlobStore store, JobId jobId) {
        this(store, jobId, 0);
    }

    /** Writes the log of host {@code host} of a multi-host job (host 0's log is the job's). */
    public StoreLogWriter(BlobStore store, JobId jobId, int host) {
        this.store = store;
        this.jobId = jobId;
        this.host = host;
    }

    public synchronized void write(byte[] data, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (data[i] == '\n' && current.size() + (i + 1 - start) >= SEGMENT_BYTES) {
                current.write(data, start, i + 1 - start);
                dirty = true;
                roll();
                start = i + 1;
            }
        }
        if (start < end) {
            current.write(data, start, end - start);
            dirty = true;
            if (current.size() >= 2 * SEGMENT_BYTES) {
                roll(); // a line longer than a segment: split it rather than grow without bound
            }
        }
    }

    /** Stores the current segment if it changed. */
    public synchronized void flush() {
        if (dirty) {
            store.put(JobLayout.logSegment(jobId, host, index), current.toByteArray());
            dirty = false;
        }
    }

    private void roll() {
        flush();
        index++;
        current = new ByteArrayOutputStream();
    }
}
