package dev.kinetic.store.gcs;

import dev.kinetic.spi.store.StoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Repeats a write or delete that Cloud Storage refused because the object name changed too recently, and a file
 * upload that ended without its object ({@link UploadNotCommitted}), after at least a second.
 *
 * <p>Cloud Storage takes about one write per second to one object name ("Maximum rate of writes to the same object
 * name: One write per second", https://cloud.google.com/storage/quotas) and answers a faster one with 429, which its
 * retry strategy calls transient (https://cloud.google.com/storage/docs/retry-strategy). The client library retries
 * 429 itself, with waits of at least {@link GcsSettings#baseBackoff()}, doubling: with the defaults (500 ms, 4
 * attempts) that clears one overwrite within a second (measured against the stand-in: none of 90 failed). It does
 * not clear it when the backoff is set shorter ({@link GcsSettings#withRetries}), nor when several writers queue on
 * one name; and a file upload the library wrongly reported done (see {@link FileUpload}) must not be sent again at
 * once, or its finalize meets the same limit. Hence a floor of one second here, then 2, 4 and 8 s (5 attempts,
 * about 15 s in all).
 */
final class MutationRetry {
    /** What Cloud Storage needs between two writes of one object name. */
    static final Duration MIN_WAIT = Duration.ofSeconds(1);

    private static final int MAX_JITTER_MILLIS = 250;

    /** A mutation: a store call that may fail with the client's exceptions or an I/O error. */
    interface Mutation<T> {
        T run() throws IOException;
    }

    /** A resumable upload the client closed without error although the object was not created with its bytes. */
    static final class UploadNotCommitted extends IOException {
        private static final long serialVersionUID = 1L;

        UploadNotCommitted(String message) {
            super(message);
        }
    }

    private final int attempts;

    MutationRetry(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        this.attempts = attempts;
    }

    /** Runs {@code mutation}, again after a growing pause of at least a second while it is refused with 429. */
    <T> T run(Mutation<T> mutation) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return mutation.run();
            } catch (IOException | RuntimeException e) {
                if (attempt >= attempts || !isRetryable(e)) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /** Like {@link #run} for mutations that throw no checked exception. */
    <T> T runUnchecked(Mutation<T> mutation) {
        try {
            return run(mutation);
        } catch (IOException e) {
            throw new IllegalStateException("a mutation without I/O threw " + e, e);
        }
    }

    static boolean isRetryable(Throwable e) {
        return e instanceof UploadNotCommitted || GcsBlobStore.statusOf(e) == 429;
    }

    private static void pause(int attempt) {
        long millis = (MIN_WAIT.toMillis() << Math.min(attempt - 1, 10))
                + ThreadLocalRandom.current().nextInt(MAX_JITTER_MILLIS);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to write to Cloud Storage again", e);
        }
    }
}
