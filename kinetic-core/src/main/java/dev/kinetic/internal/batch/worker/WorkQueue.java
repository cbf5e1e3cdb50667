package dev.kinetic.internal.batch.worker;

import dev.kinetic.JobStatus;
import dev.kinetic.internal.agent.JobWriter;
import dev.kinetic.internal.batch.BatchLayout;
import dev.kinetic.internal.batch.BatchManifest;
import dev.kinetic.internal.batch.Claims;
import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.JobOutcome;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.WorkerPool;
import dev.kinetic.spi.accelerator.AcceleratorCatalog;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which input a worker takes next. First the inputs nobody has taken, in index order, each with one create-only claim
 * (only one worker's {@code putIfAbsent} wins); then, from one listing of claims and endings, attempts due again: a
 * failed input with retries left (or asked for again by {@code retryFailed()}), an input whose worker's lease ran out
 * (its attempt is recorded as failed first, create-only, so it can never also succeed), and a claim whose job was never
 * recorded (its claimant died in between). With nothing to take but inputs still running elsewhere, a worker waits: it
 * may have to take one over. It stops when every input has ended for good, or the batch was cancelled or stopped.
 */
final class WorkQueue {
    /** How often an idle worker looks again. */
    static final long IDLE_MILLIS = 1000;

    private final BlobStore store;
    private final BatchManifest manifest;
    private final WorkerPool pool;
    private final String workerId;
    private final Claims claims;
    private final LeaseWatch leases;
    private final String idPart;
    /** Job id to the worker that recorded it ("" for a job an older version's submitter started). */
    private final Map<String, String> recordedBy = new HashMap<>();
    /** Claims seen without a record: job id to when first seen. */
    private final Map<String, Long> unrecordedSince = new HashMap<>();

    private int cursor;
    private volatile boolean stopping;

    WorkQueue(BlobStore store, BatchManifest manifest, WorkerPool pool, String workerId) {
        this.store = store;
        this.manifest = manifest;
        this.pool = pool;
        this.workerId = workerId;
        this.claims = new Claims(manifest.id(), store);
        this.leases = new LeaseWatch(store, manifest.id());
        this.idPart = AcceleratorCatalog.builtIn()
                .parse(pool.template().accelerator())
                .idPart();
    }

    /**
     * An attempt this worker took.
     *
     * @param adopted the claim was someone else's, who died before recording its job: run it under that job id
     */
    record Taken(int index, int attempt, JobId jobId, boolean adopted) {}

    /** Takes nothing more: the worker is stopping (SIGTERM). */
    void stop() {
        stopping = true;
    }

    /** The next attempt to run, waiting while inputs run elsewhere; null when this worker should stop. */
    Taken next() throws InterruptedException {
        while (true) {
            if (stopping || store.exists(BatchLayout.cancelled(manifest.id()))) {
                return null;
            }
            boolean stopped = store.exists(BatchLayout.stopped(manifest.id()));
            while (!stopped && !stopping && cursor < manifest.size()) {
                int index = cursor++;
                JobId id = newId();
                if (claims.take(index, 0, id.value())) {
                    return new Taken(index, 0, id, false);
                }
            }
            Survey survey = survey(stopped);
            if (survey.due != null && !stopping) {
                Taken taken = take(survey.due);
                if (taken != null) {
                    return taken;
                }
                continue; // another worker was quicker: look again at once
            }
            if (!survey.running || stopped) {
                return null; // everything ended; or the batch stopped, and what still runs elsewhere ends by itself
            }
            Thread.sleep(IDLE_MILLIS);
        }
    }

    private static final class Survey {
        Taken due;
        boolean running;
    }

    /** One pass over every input: the first attempt due, and whether any input still runs. */
    private Survey survey(boolean stopped) {
        Map<Integer, Claims.Claim> latest = claims.latest();
        Map<String, JobStatus> ended = new HashMap<>();
        for (BlobInfo b : store.list(BatchLayout.endedPrefix(manifest.id()))) {
            BatchLayout.Mark m = BatchLayout.mark(b.key());
            ended.put(m.index() + "/" + m.attempt(), m.status());
        }
        Set<String> requeued = new HashSet<>();
        for (BlobInfo b : store.list(BatchLayout.requeuePrefix(manifest.id()))) {
            BatchLayout.Mark m = BatchLayout.mark(b.key());
            requeued.add(m.index() + "/" + m.attempt());
        }
        Survey survey = new Survey();
        for (int index = 0; index < manifest.size() && survey.due == null; index++) {
            Claims.Claim c = latest.get(index);
            if (c == null) {
                if (!stopped) {
                    survey.due = new Taken(index, 0, null, false);
                }
                continue;
            }
            JobStatus status = ended.get(index + "/" + c.attempt());
            if (status == null) {
                status = inFlight(index, c, survey);
            }
            if (status == JobStatus.FAILED
                    && (requeued.contains(index + "/" + (c.attempt() + 1))
                            || (!stopped
                                    && c.attempt() < manifest.batchOptions().retries()))) {
                survey.due = new Taken(index, c.attempt() + 1, null, false);
            }
        }
        return survey;
    }

    /**
     * The status of an attempt without an ending: null while it runs (or may still be recorded), its outcome's status
     * when its ending was not marked yet, FAILED once its worker's lease is found lost; an unrecorded claim past its
     * lease becomes {@code survey.due}.
     */
    private JobStatus inFlight(int index, Claims.Claim c, Survey survey) {
        String worker = recordedBy.get(c.jobId());
        if (worker == null) {
            JobId id = JobId.of(c.jobId());
            worker = store.get(JobLayout.record(id))
                    .map(json -> {
                        String w = JobRecord.fromJson(json, JobLayout.record(id))
                                .backendRef()
                                .get(WorkerPool.WORKER_REF);
                        return w == null ? "" : w;
                    })
                    .orElse(null);
            if (worker == null) {
                long first = unrecordedSince.computeIfAbsent(c.jobId(), k -> System.nanoTime());
                if (System.nanoTime() - first > dev.kinetic.internal.batch.WorkerBeat.LEASE.toNanos()) {
                    survey.due = new Taken(index, c.attempt(), id, true);
                } else {
                    survey.running = true;
                }
                return null;
            }
            recordedBy.put(c.jobId(), worker);
        }
        JobStatus outcome = storedOutcome(c.jobId());
        if (outcome != null) {
            Endings.mark(store, manifest, index, c.attempt(), c.jobId(), outcome);
            return outcome;
        }
        if (!worker.isEmpty() && (worker.equals(workerId) || leases.lost(worker))) {
            return expire(index, c, worker);
        }
        survey.running = true; // an older version's job has its own agent: it ends by itself
        return null;
    }

    private JobStatus storedOutcome(String jobId) {
        String key = JobLayout.resultMeta(JobId.of(jobId));
        return store.get(key).map(b -> JobOutcome.fromJson(b, key).status()).orElse(null);
    }

    /** Records a lost worker's attempt as failed (create-only: it cannot also succeed); returns how it ended. */
    private JobStatus expire(int index, Claims.Claim c, String worker) {
        JobOutcome lost = JobOutcome.failed(
                        FailurePhase.AGENT,
                        "worker " + worker + " stopped while running input " + index + " of batch " + manifest.id()
                                + " (its lease ran out: killed, out of memory, or its machine went away); the "
                                + "attempt counts as failed")
                .endedAt(Instant.now())
                .build();
        JobStatus status = new JobWriter(store, JobId.of(c.jobId())).writeOutcomeOnce(lost)
                ? JobStatus.FAILED
                : storedOutcome(c.jobId());
        if (status == null) {
            return null; // the store did not answer: look again next time
        }
        System.err.println("kinetic worker: input " + index + " (job " + c.jobId() + ") of worker " + worker + " ended "
                + status + (status == JobStatus.FAILED ? " (lease lost)" : ""));
        Endings.mark(store, manifest, index, c.attempt(), c.jobId(), status);
        return status;
    }

    /** Takes a due attempt (a new claim, or the adopted one as it is); null if another worker got it first. */
    private Taken take(Taken due) {
        if (due.adopted()) {
            return due; // recording its job (create-only) decides who runs it
        }
        JobId id = newId();
        return claims.take(due.index(), due.attempt(), id.value())
                ? new Taken(due.index(), due.attempt(), id, false)
                : null;
    }

    private JobId newId() {
        return JobId.next(idPart, pool.template().function(), Instant.now());
    }
}
