package dev.kinetic.internal.batch;

import dev.kinetic.KineticException;
import dev.kinetic.internal.engine.Engine;
import dev.kinetic.internal.submit.JobRecorder;
import dev.kinetic.internal.submit.JobTemplate;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.Backend;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.LiveState;
import dev.kinetic.spi.WorkerPool;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A batch's workers, from the core's side: starts a pool on the backend ({@link Backend#startWorkers}) with its
 * description stored first ({@code groups/<id>/pool.json}), and tells whether it is alive, from the backend and from
 * the workers' leases.
 */
final class WorkerPools {
    private final Engine engine;
    private final BlobStore store;
    private final BatchManifest manifest;
    private final JobTemplate template;

    WorkerPools(Engine engine, BlobStore store, BatchManifest manifest, JobTemplate template) {
        this.engine = engine;
        this.store = store;
        this.manifest = manifest;
        this.template = template;
    }

    /**
     * Whether this batch runs on workers: its backend runs them, and its jobs are of one host (a multi-host job is a
     * gang of agents, which a worker does not run).
     */
    boolean supported() {
        return backend().runsWorkers() && template.hosts() == 1;
    }

    /** The pool started last, if any. */
    Optional<WorkerPool> current() {
        return store.get(BatchLayout.pool(manifest.id()))
                .map(json -> WorkerPool.fromJson(json, BatchLayout.pool(manifest.id())));
    }

    /** Starts a new pool of {@code workers} workers (a new generation); returns once the backend accepted it. */
    WorkerPool start(int workers) {
        int generation = current().map(p -> p.generation() + 1).orElse(0);
        Backend backend = backend();
        JobId poolId = JobId.of(WorkerPool.name(manifest.id(), generation));
        // Drafted from input 0's payload: the record needs one; every input's job gets its own.
        byte[] sample = store.get(BatchLayout.input(manifest.id(), 0))
                .orElseThrow(() -> new KineticException(
                        manifest.id(), "input 0 of batch " + manifest.id() + " is missing from " + store.uri(), null));
        JobRecord shared = new JobRecorder(engine).draft(template, poolId, sample, manifest.id(), null, backend, store);
        WorkerPool pool = backend.prepareWorkers(new WorkerPool(
                WorkerPool.SCHEMA,
                manifest.id(),
                generation,
                workers,
                manifest.batchOptions().retries(),
                shared,
                shared.backendRef(),
                null));
        store.put(BatchLayout.pool(manifest.id()), pool.toJson());
        List<String> classpath = new ArrayList<>();
        for (JobRecord.Artifact a : manifest.classpath()) {
            classpath.add(a.sha256());
        }
        AgentCommand command =
                AgentCommand.forWorkers(store.uri().toString(), manifest.id(), classpath, shared.jvmArgs());
        try {
            backend.startWorkers(pool, command, template.env()); // captured values: never stored
        } catch (RuntimeException e) {
            throw new KineticException(
                    manifest.id(),
                    "the workers of batch " + manifest.id() + " could not be started on backend " + backend.name()
                            + ": " + e.getMessage() + "; its inputs are stored: start workers again with "
                            + "Kinetic.attachBatch(\"" + manifest.id() + "\").resume() (`kinetic batches resume "
                            + manifest.id() + "`)",
                    e);
        }
        return pool;
    }

    /** What the backend says of the pool started last; GONE when there is none. */
    LiveState probe() {
        Optional<WorkerPool> pool = current();
        if (pool.isEmpty()) {
            return LiveState.of(LiveState.Phase.GONE);
        }
        return engine.backend(pool.get().template().backend()).probeWorkers(pool.get());
    }

    /**
     * How many workers are alive: those holding a fresh lease, or none when the backend says the pool has ended or is
     * gone (a worker killed a moment ago still holds a lease that has not run out).
     */
    int workersAlive() {
        LiveState.Phase phase = probe().phase();
        return phase == LiveState.Phase.EXITED || phase == LiveState.Phase.GONE ? 0 : leasesAlive();
    }

    /** How many workers hold a fresh lease. */
    int leasesAlive() {
        int alive = 0;
        Instant now = Instant.now();
        for (BlobInfo b : store.list(BatchLayout.workersPrefix(manifest.id()))) {
            Optional<WorkerBeat> beat = store.get(b.key()).flatMap(WorkerBeat::fromJson);
            if (beat.isPresent() && beat.get().alive(now)) {
                alive++;
            }
        }
        return alive;
    }

    /**
     * Why no worker will take the batch's queued inputs, or empty while one may: the backend runs or places one, a
     * lease is fresh, or a pool started moments ago has not renewed its first lease yet.
     */
    Optional<String> deadReason() {
        Optional<WorkerPool> pool = current();
        if (pool.isEmpty()) {
            return Optional.of("it has no workers (it was started by an older version of Kinetic, whose submitting "
                    + "JVM is gone)");
        }
        LiveState live = engine.backend(pool.get().template().backend()).probeWorkers(pool.get());
        if (live.phase() == LiveState.Phase.RUNNING || live.phase() == LiveState.Phase.PENDING) {
            return Optional.empty();
        }
        if (leasesAlive() > 0) {
            return Optional.empty();
        }
        Instant started = pool.get().template().createdAt();
        if (live.phase() == LiveState.Phase.UNKNOWN
                && started != null
                && started.plus(WorkerBeat.LEASE).isAfter(Instant.now())) {
            return Optional.empty();
        }
        String name = pool.get().name();
        return Optional.of(
                switch (live.phase()) {
                    case GONE ->
                        "its worker pool " + name + " is gone from backend "
                                + pool.get().template().backend() + " (deleted by hand, or expired)";
                    case EXITED ->
                        "its workers (" + name + ") have all exited"
                                + (live.reason() == null ? "" : ": " + live.reason());
                    default ->
                        "no worker of " + name + " holds a lease"
                                + (live.reason() == null ? "" : " (" + live.reason() + ")");
                });
    }

    /** Stops the pool's workers (cancel). */
    void stop() {
        Optional<WorkerPool> pool = current();
        if (pool.isPresent()) {
            engine.backend(pool.get().template().backend()).stopWorkers(pool.get());
        }
    }

    /** Stops the workers and removes what the backend keeps of them, every generation's (cleanup). */
    void delete() {
        Optional<WorkerPool> pool = current();
        if (pool.isEmpty()) {
            return;
        }
        WorkerPool p = pool.get();
        Backend backend = engine.backend(p.template().backend());
        for (int g = 0; g <= p.generation(); g++) {
            backend.deleteWorkers(new WorkerPool(
                    p.schema(), p.batchId(), g, p.workers(), p.retries(), p.template(), p.backendRef(), p.childRef()));
        }
    }

    private Backend backend() {
        return engine.backend(template.settings().backend());
    }
}
