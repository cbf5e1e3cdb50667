package dev.kinetic.internal.batch.worker;

import dev.kinetic.internal.batch.BatchLayout;
import dev.kinetic.internal.batch.WorkerBeat;
import dev.kinetic.spi.store.BlobStore;
import java.time.Instant;

/**
 * This worker's lease ({@link WorkerBeat}): renewed every {@link WorkerBeat#RENEW} by the worker's timer, and given
 * up ({@code exited}) when the worker stops, so the others take over what it leaves at once instead of after the
 * lease runs out.
 */
final class WorkerLease {
    private final BlobStore store;
    private final String key;
    private final String workerId;
    private final String host;
    private final long pid = ProcessHandle.current().pid();
    private long beat;
    private volatile String job;
    private volatile int inputs;

    WorkerLease(BlobStore store, String batchId, String workerId, String host) {
        this.store = store;
        this.key = BatchLayout.worker(batchId, workerId);
        this.workerId = workerId;
        this.host = host;
    }

    /** The worker now runs {@code jobId} (null: between inputs); shown at the next renewal. */
    void running(String jobId) {
        job = jobId;
    }

    void finishedOne() {
        job = null;
        inputs++;
    }

    /** Renews the lease; a failure is reported and the next renewal tries again (the lease lasts a few renewals). */
    synchronized void renew() {
        beat++;
        try {
            store.put(key, beat(WorkerBeat.RUNNING).toJson());
        } catch (RuntimeException e) {
            System.err.println("kinetic worker: could not renew the lease (will retry): " + e.getMessage());
        }
    }

    /** Gives the lease up: the worker has stopped. */
    synchronized void exit() {
        beat++;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                store.put(key, beat(WorkerBeat.EXITED).toJson());
                return;
            } catch (RuntimeException e) {
                System.err.println("kinetic worker: could not give up the lease: " + e.getMessage());
                try {
                    Thread.sleep(500L << attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private WorkerBeat beat(String state) {
        return new WorkerBeat(workerId, host, pid, beat, Instant.now(), state, job, inputs);
    }
}
