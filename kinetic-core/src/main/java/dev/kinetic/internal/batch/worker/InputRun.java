package dev.kinetic.internal.batch.worker;

import dev.kinetic.BatchOptions;
import dev.kinetic.JobStatus;
import dev.kinetic.internal.agent.AgentFailure;
import dev.kinetic.internal.agent.AgentInfo;
import dev.kinetic.internal.agent.JobWriter;
import dev.kinetic.internal.agent.OutcomeDecider;
import dev.kinetic.internal.agent.OutputSync;
import dev.kinetic.internal.batch.BatchLayout;
import dev.kinetic.internal.log.StoreLogWriter;
import dev.kinetic.internal.protocol.EventType;
import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.JobEvent;
import dev.kinetic.internal.protocol.JobOutcome;
import dev.kinetic.internal.protocol.PayloadFile;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.WorkerPool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * One input, run by a worker exactly as a single job's agent runs a job: its record (create-only: of two workers that
 * both took an abandoned claim, one runs it), payload and events under its own job id, its data and outputs, its own
 * log, and an outcome written create-only (an attempt given up as lost cannot also succeed).
 */
final class InputRun {
    private final BatchWorker worker;
    private final WorkQueue.Taken taken;
    private final JobId id;
    private final JobWriter writer;
    private volatile OutputSink.Input sink;
    private volatile OutputSync outputs;
    private volatile TaskJvm task;
    private volatile boolean cancelled;
    private Instant startedAt;
    private Path live;
    private int ticks;

    InputRun(BatchWorker worker, WorkQueue.Taken taken) {
        this.worker = worker;
        this.taken = taken;
        this.id = taken.jobId();
        this.writer = new JobWriter(worker.store, id);
    }

    /** Runs the input to its outcome; false when another worker recorded it first (it is theirs). */
    boolean run() throws InterruptedException {
        byte[] payload = worker.store
                .get(BatchLayout.input(worker.manifest.id(), taken.index()))
                .orElse(null);
        JobRecord record = ChildJob.record(
                worker.pool, worker.manifest, id, taken.index(), payload == null ? new byte[0] : payload, worker.id);
        try {
            live = ChildJob.startLive(record);
        } catch (IOException e) {
            System.err.println("kinetic worker: no live files for job " + id + ": " + e);
        }
        if (!worker.store.putIfAbsent(JobLayout.record(id), record.toJson())) {
            return false;
        }
        worker.store.put(JobLayout.payload(id), payload == null ? new byte[0] : payload);
        JobEvent submitted = new JobEvent(EventType.SUBMITTED, Instant.now(), Map.of("worker", worker.id));
        worker.store.put(submitted.key(id), submitted.toJson());
        worker.lease.running(id.value());
        worker.current = this;
        JobOutcome outcome;
        try {
            outcome = execute(payload);
        } catch (AgentFailure f) {
            outcome = failed(f.phase(), f.getMessage());
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
            outcome = failed(FailurePhase.AGENT, "worker error: " + e);
        }
        finish(outcome);
        return true;
    }

    private JobOutcome execute(byte[] payload) throws AgentFailure, IOException, InterruptedException {
        String expected = worker.manifest.inputSha256().get(taken.index());
        if (payload == null) {
            throw new AgentFailure(
                    FailurePhase.DOWNLOAD,
                    "input " + taken.index() + " of batch " + worker.manifest.id() + " is missing from "
                            + worker.store.uri());
        }
        if (!Hashing.sha256(payload).equals(expected)) {
            throw new AgentFailure(
                    FailurePhase.VERIFY,
                    "input " + taken.index() + " of batch " + worker.manifest.id()
                            + " is corrupt: expected sha256 " + expected + " but it hashes to "
                            + Hashing.sha256(payload)
                            + "; nothing was deserialized");
        }
        sink = new OutputSink.Input(
                new StoreLogWriter(worker.store, id), live == null ? null : live.resolve(WorkerPool.LIVE_OUTPUT));
        PayloadFile.Header header;
        try {
            header = PayloadFile.readHeader(new ByteArrayInputStream(payload));
        } catch (IOException e) {
            throw new AgentFailure(FailurePhase.DESERIALIZE, "payload header unreadable: " + e.getMessage(), e);
        }
        Map<String, String> captured = worker.captured(header);
        worker.placeData(header);
        outputs = worker.restoreOutputs(header, id);
        worker.clear(worker.outcomeDir);
        Path payloadFile = worker.workDir.resolve("payload.bin");
        Files.write(payloadFile, payload);
        int exit = runTask(captured, payloadFile);
        if (cancelled || (worker.terminating && cancelAsked())) {
            return JobOutcome.cancelled("cancelled by request")
                    .exitCode(exit)
                    .startedAt(startedAt)
                    .endedAt(Instant.now())
                    .build();
        }
        JobOutcome decided = new OutcomeDecider(writer).decide(exit, worker.outcomeDir, startedAt, false);
        if (worker.terminating && decided.status() != JobStatus.SUCCEEDED) {
            return failed(
                    FailurePhase.AGENT,
                    "worker " + worker.id + " was stopped (SIGTERM) while running this "
                            + "input; the attempt counts as failed (task " + decided.reason() + ")");
        }
        return decided;
    }

    private int runTask(Map<String, String> captured, Path payloadFile) throws IOException, InterruptedException {
        boolean perInput = worker.manifest.batchOptions().isolation() == BatchOptions.Isolation.PER_INPUT;
        TaskJvm jvm = perInput ? worker.startTask(captured, id, sink) : worker.loopTask(captured);
        task = jvm;
        startedAt = Instant.now();
        writer.event(
                EventType.STARTED,
                Map.of(
                        "pid", String.valueOf(jvm.pid()),
                        "host", AgentInfo.hostName(),
                        "index", "0",
                        "worker", worker.id,
                        "input", String.valueOf(taken.index())));
        if (cancelled) {
            jvm.terminate(worker.taskStopMillis);
        }
        int exit = perInput ? jvm.awaitExit() : jvm.call(payloadFile, worker.outcomeDir, id.value(), sink);
        worker.taskEnded(jvm);
        return exit;
    }

    /** Outputs, log, then the outcome (create-only) and the batch's ending mark. */
    private void finish(JobOutcome outcome) {
        if (outputs != null) {
            worker.syncQuietly(outputs);
        }
        if (sink != null) {
            sink.close();
        }
        worker.current = null;
        JobStatus status = outcome.status();
        if (!writer.writeOutcomeOnce(outcome)) {
            String key = JobLayout.resultMeta(id);
            status = worker.store
                    .get(key)
                    .map(b -> JobOutcome.fromJson(b, key).status())
                    .orElse(null);
            System.err.println("kinetic worker: job " + id + " (input " + taken.index() + ") had already been given up"
                    + " as lost (" + status + "); this run's " + outcome.status() + " is dropped");
        }
        if (status != null) {
            Endings.mark(worker.store, worker.manifest, taken.index(), taken.attempt(), id.value(), status);
        }
        ChildJob.endLive(live);
        worker.lease.finishedOne();
    }

    /** Once a second: flushes the log, syncs outputs every 10 s, and stops the task when the input is cancelled. */
    void tick() {
        ticks++;
        OutputSink.Input s = sink;
        if (s != null) {
            try {
                s.flush();
            } catch (RuntimeException e) {
                System.err.println("kinetic worker: log flush failed (will retry): " + e.getMessage());
            }
        }
        OutputSync o = outputs;
        if (o != null && ticks % 10 == 0) {
            worker.syncQuietly(o);
        }
        if (!cancelled && cancelAsked()) {
            cancelled = true;
            // Not on the timer's thread: the lease must be renewed while the task takes its grace period to stop.
            Thread stop = new Thread("kinetic-worker-cancel") {
                @Override
                public void run() {
                    terminate();
                }
            };
            stop.setDaemon(true);
            stop.start();
        }
    }

    private boolean cancelAsked() {
        try {
            String batch = worker.manifest.id();
            return worker.store.exists(BatchLayout.cancelled(batch))
                    || (worker.manifest.batchOptions().cancelRunningOnFail()
                            && worker.store.exists(BatchLayout.stopped(batch)))
                    || writer.cancelRequested();
        } catch (RuntimeException e) {
            return false; // the store cannot tell now: look again at the next tick
        }
    }

    /** Stops the task (SIGTERM, then SIGKILL): on a cancel, or when the worker itself is stopped. */
    void terminate() {
        TaskJvm t = task;
        if (t != null) {
            try {
                t.terminate(worker.taskStopMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private JobOutcome failed(FailurePhase phase, String reason) {
        return JobOutcome.failed(phase, reason)
                .startedAt(startedAt)
                .endedAt(Instant.now())
                .build();
    }
}
