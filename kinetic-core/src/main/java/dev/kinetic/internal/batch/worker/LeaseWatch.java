package dev.kinetic.internal.batch.worker;

import dev.kinetic.internal.batch.BatchLayout;
import dev.kinetic.internal.batch.WorkerBeat;
import dev.kinetic.spi.store.BlobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether other workers' leases ran out, judged by this worker's own clock: a lease is lost when its beat has not
 * changed for {@link WorkerBeat#LEASE} since this worker first saw it, when it says {@code exited}, or when there is
 * none for that long. Only a lease whose last renewal is far older than that by its writer's clock (a pool that died
 * long ago) is taken as lost at first sight; so clocks that disagree by less than {@link #CLOCK_SLACK} change nothing.
 */
final class LeaseWatch {
    static final Duration CLOCK_SLACK = Duration.ofSeconds(45);

    private final BlobStore store;
    private final String batchId;
    private final Map<String, Seen> seen = new HashMap<>();

    LeaseWatch(BlobStore store, String batchId) {
        this.store = store;
        this.batchId = batchId;
    }

    private record Seen(long beat, long sinceNanos) {}

    /** Whether worker {@code worker}'s lease is lost: its inputs may be taken over. */
    boolean lost(String worker) {
        Optional<WorkerBeat> lease =
                store.get(BatchLayout.worker(batchId, worker)).flatMap(WorkerBeat::fromJson);
        long now = System.nanoTime();
        long beat = lease.isPresent() ? lease.get().beat() : -1;
        if (lease.isPresent()) {
            WorkerBeat b = lease.get();
            if (WorkerBeat.EXITED.equals(b.state())) {
                return true;
            }
            if (b.at() != null
                    && b.at().plus(WorkerBeat.LEASE).plus(CLOCK_SLACK).isBefore(Instant.now())) {
                return true;
            }
        }
        Seen s = seen.get(worker);
        if (s == null || s.beat() != beat) {
            seen.put(worker, new Seen(beat, now));
            return false;
        }
        return now - s.sinceNanos() > WorkerBeat.LEASE.toNanos();
    }
}
