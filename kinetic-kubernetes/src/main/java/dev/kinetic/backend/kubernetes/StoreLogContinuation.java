package dev.kinetic.backend.kubernetes;

import dev.kinetic.job.JobRecord;
import dev.kinetic.log.StoreLog;
import dev.kinetic.store.BlobStore;
import dev.kinetic.store.BlobStores;
import java.net.URI;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Finishes a follow from the store log when the pod went away in the middle of it (TTL, cleanup). The store
 * log holds the task's output from the start, so the lines already delivered from the pod are skipped by
 * count. The pod log also holds the agent's own messages on stderr, which the store log does not, so in the
 * rare case that the agent printed some, a few lines may be skipped; none is repeated.
 */
final class StoreLogContinuation {
    private static final long POLL_MILLIS = 500;

    private StoreLogContinuation() {}

    static void follow(JobRecord record, Map<String, String> environment, long alreadyDelivered, Consumer<String> sink,
                       BooleanSupplier ended) {
        try (BlobStore store = BlobStores.open(URI.create(record.store()), environment)) {
            long[] skip = {alreadyDelivered};
            new StoreLog(store, record.id()).follow(line -> {
                if (skip[0] > 0) {
                    skip[0]--;
                } else {
                    sink.accept(line);
                }
            }, ended, POLL_MILLIS);
        }
    }
}
