package dev.kinetic.store.s3;

import dev.kinetic.spi.store.TransferListener;

/**
 * Reports upload progress for one key. A retried request re-reads bytes already counted, so only new highs are
 * reported: listeners see increasing numbers that end at the size.
 */
final class UploadProgress {
    private final String key;
    private final long total;
    private final TransferListener listener;
    private long reported;

    UploadProgress(String key, long total, TransferListener listener) {
        this.key = key;
        this.total = total;
        this.listener = listener;
    }

    /** {@code done} bytes of the whole upload have been read by the client. */
    synchronized void reached(long done) {
        if (done > reported) {
            reported = done;
            listener.progressed(key, done, total);
        }
    }
}
