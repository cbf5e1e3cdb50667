package dev.kinetic.spi;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where jobs run: detached processes on this machine ({@code local}) or Kubernetes Jobs ({@code kubernetes}).
 * A backend only starts, observes and stops the agent; the job's record, payload, result and log live in the
 * store and are handled by the core, the same for every backend.
 */
public interface Backend extends AutoCloseable {

    /** The backend's name, as in {@code KINETIC_BACKEND}. */
    String name();

    /**
     * Backend coordinates to put into the record before anything is created (e.g. the local state directory
     * or the Kubernetes namespace). Also the place to reject options this backend cannot honour, with a clear
     * message, before anything is written.
     */
    Map<String, String> prepare(JobRecord draft);

    /**
     * Starts the agent for a recorded job; for a multi-host job ({@link JobRecord#hosts()} above 1) one agent per
     * host, each given its place with {@link AgentCommand#withGang} and its index. Returns once the backend has
     * accepted it.
     */
    void submit(JobRecord record, AgentCommand command);

    /**
     * {@link #submit(JobRecord, AgentCommand)} with the values of the job's captured environment variables
     * ({@code captureEnv}), which the agent must find in its environment. They are secrets (API keys): a backend passes
     * them to the agent without writing them to the store, a file, a log or an object's literal fields (the local
     * backend: the agent process's environment; Kubernetes: a Secret the container reads). A backend that cannot
     * refuses them rather than run the job without them.
     *
     * @param capturedEnvironment variable name to value; empty when the job captures nothing
     */
    default void submit(JobRecord record, AgentCommand command, Map<String, String> capturedEnvironment) {
        if (!capturedEnvironment.isEmpty()) {
            throw new dev.kinetic.KineticException(
                    record.id().value(),
                    "backend " + name() + " cannot pass the captured environment variables "
                            + new java.util.TreeSet<>(capturedEnvironment.keySet())
                            + " to its agent without storing them; submit without captureEnv, or use a backend that"
                            + " can (local, kubernetes)",
                    null);
        }
        submit(record, command);
    }

    /**
     * What the backend knows about the job right now. Must be cheap: one call. For a multi-host job: PENDING until
     * every host is placed (the reason says how many are, e.g. {@code 2 of 4 hosts scheduled: ...}), RUNNING while
     * any host's agent runs, EXITED once all have exited.
     */
    LiveState probe(JobRecord record);

    /** {@link #probe} for many jobs, with as few backend calls as possible (one list call, not one per job). */
    default Map<JobId, LiveState> probeAll(Collection<JobRecord> records) {
        Map<JobId, LiveState> out = new LinkedHashMap<>();
        for (JobRecord r : records) {
            out.put(r.id(), probe(r));
        }
        return out;
    }

    /** The last {@code lines} lines of the live output, when the backend still has it. */
    Optional<List<String>> tailLive(JobRecord record, int lines);

    /**
     * The last {@code lines} lines of host {@code host}'s live output, for a multi-host job. The default has live
     * output for host 0 only; the core reads the other hosts' logs from the store.
     */
    default Optional<List<String>> tailLive(JobRecord record, int lines, int host) {
        return host == 0 ? tailLive(record, lines) : Optional.empty();
    }

    /**
     * {@link #followLive(JobRecord, Consumer)} for host {@code host} of a multi-host job. The default follows host 0
     * live only; the core follows the other hosts' logs in the store.
     */
    default LiveFollow followLive(JobRecord record, int host, Consumer<String> sink) {
        return host == 0 ? followLive(record, sink) : LiveFollow.notLive();
    }

    /**
     * Streams the live output from the beginning, line by line, while the job runs. Returns
     * {@link LiveFollow#notLive()} without delivering anything when the backend has no live output for it, and
     * {@link LiveFollow#interrupted(long)} when the output went away midway: the core then reads the rest from the
     * store log.
     */
    LiveFollow followLive(JobRecord record, Consumer<String> sink);

    /**
     * Blocks until the job may have changed state or {@code max} has passed, whichever is first. The default
     * sleeps; backends that can watch (a Kubernetes watch, a process exit) return as soon as something happens,
     * which is how {@code result()} returns promptly without polling at a fixed interval.
     */
    default void awaitChange(JobRecord record, java.time.Duration max) throws InterruptedException {
        Thread.sleep(Math.max(1, max.toMillis()));
    }

    /**
     * Whether {@link #awaitChange} really waits for a change (a watch) rather than sleeping; then waiters may
     * block for long stretches instead of looking again every fraction of a second.
     */
    default boolean watchesChanges() {
        return false;
    }

    /** Stops the job and everything it started, on every host (SIGTERM, then a kill after a grace period). */
    void cancel(JobRecord record);

    /** Deletes the backend's resources for the job, every host's; confirms they are gone or throws. */
    void delete(JobRecord record);

    // ---- Batch workers (issue 16). A backend that runs workers keeps a batch going without the JVM that submitted
    // it; one that does not (the defaults) gets the batch's inputs submitted as jobs from the submitting JVM, as
    // before.

    /**
     * Whether this backend runs batch workers ({@link #startWorkers}). When false, the core submits each input of a
     * batch as a job from the submitting JVM ({@link #submit}), which then must stay alive until every input has a job.
     */
    default boolean runsWorkers() {
        return false;
    }

    /**
     * Checks the pool's options and fills in where the backend will keep it and what each input's job record carries
     * ({@link WorkerPool#withRefs}), before anything is started. {@code draft.template()} was already through
     * {@link #prepare}.
     *
     * @throws UnsupportedOperationException when the backend does not run workers
     */
    default WorkerPool prepareWorkers(WorkerPool draft) {
        throw new UnsupportedOperationException("backend " + name() + " does not run batch workers");
    }

    /**
     * Starts {@code pool.workers()} workers, each running {@code command} (an agent in worker mode, whose main class is
     * {@link AgentCommand#mainClass()}), detached from the calling JVM; returns once the backend has accepted them.
     * Workers exit by themselves when no input is left. A worker that dies may be replaced (a Kubernetes Job does);
     * the inputs it held are taken by the others once its lease runs out.
     *
     * @param capturedEnvironment the values of the batch's captured environment variables, which every worker must
     *     find in its environment; secrets, passed as {@link #submit(JobRecord, AgentCommand, Map)} passes a job's
     *     (never to the store, a file, a log or an object's literal fields); empty when the batch captures nothing
     */
    default void startWorkers(WorkerPool pool, AgentCommand command, Map<String, String> capturedEnvironment) {
        throw new UnsupportedOperationException("backend " + name() + " does not run batch workers");
    }

    /**
     * How the pool is doing: RUNNING while a worker runs, PENDING while workers wait to be placed (with the reason),
     * EXITED once all have ended, GONE when the backend has nothing of it (deleted by hand, expired), UNKNOWN when it
     * cannot tell from here. Must be cheap.
     */
    default LiveState probeWorkers(WorkerPool pool) {
        return LiveState.of(LiveState.Phase.UNKNOWN);
    }

    /**
     * Stops every worker of the pool (SIGTERM, then a kill after a grace period; each records its current input as
     * cancelled when the batch was cancelled) and removes what the backend runs them with (a Kubernetes Job). Returns
     * once they are stopped.
     */
    default void stopWorkers(WorkerPool pool) {}

    /** {@link #stopWorkers} and then everything the backend keeps of the pool (local state directories, logs). */
    default void deleteWorkers(WorkerPool pool) {
        stopWorkers(pool);
    }

    @Override
    default void close() {}
}
