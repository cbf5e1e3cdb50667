package dev.kinetic.internal.observe;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import java.util.concurrent.CompletableFuture;

/** The blocking call: a detached job, its log streamed to standard output, then its result. One code path. */
public final class LogStreaming {
    private LogStreaming() {}

    public static <T> T callAndStream(JobHandle<T> job) {
        CompletableFuture<Void> streaming = CompletableFuture.runAsync(() -> job.followLogs(System.out::println));
        T value;
        try {
            // Keep everything until the log has been streamed to the end; a failed job keeps it anyway.
            value = job.result(null, Cleanup.NONE);
        } finally {
            streaming.join();
        }
        job.cleanup(Cleanup.ALL);
        return value;
    }
}
