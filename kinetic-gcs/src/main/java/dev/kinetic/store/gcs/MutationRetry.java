package dev.kinetic.store.gcs;

import dev.kinetic.spi.store.StoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Repeats a write or delete that Cloud Storage refused because the object name was changed too recently.
 *
 * <p>Cloud Storage takes about one write per second to one object name ("Maximum rate of writes to the same object
 * name: One write per second", https://cloud.google.com/storage/quotas) and answers a faster one with 429, which its
 * retry strategy calls transient (https://cloud.google.com/storage/docs/retry-strategy). The client library retries
 * 429 itself, but each wait is drawn from zero up to a bound that starts at {@link GcsSettings#baseBackoff()} and
 * doubles: with the default 500 ms and 4 attempts, the three waits add up to less than a second about 15% of the time,
 * and then an overwrite within a second fails after all of them. So a mutation the client gave up on with 429 is
 * tried again here after at least a second, then 2, 4 and 8 s (with 5 attempts, about 15 s in all).
 *
 * <p>An upload that the client reported as done but that did not create the object ({@link UploadNotCommitted}) is
 * repeated the same way.
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
