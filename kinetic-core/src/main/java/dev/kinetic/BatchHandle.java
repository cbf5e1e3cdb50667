package dev.kinetic;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One function fanned out over many inputs, as durable as a single job: the manifest and every input are stored and
 * the batch's workers are started before {@code runAsyncMap} returns, so the batch runs to the end even if the
 * submitting JVM exits at once. Each input runs as a job of its own (its record, log and result under its own id),
 * and {@link Kinetic#attachBatch(String)} rebuilds the handle anywhere. Results are addressed by input index, never by
 * arrival order.
 * <pre>{@code
 * BatchHandle<Double> sweep = train.runAsyncMap(List.of(0.1, 0.01, 0.001));
 * List<Double> losses = sweep.results(Duration.ofHours(2));   // in input order
 * }</pre>
 */
public interface BatchHandle<R> {

    /** {@code grp-} and 8 hex digits. */
    String id();

    /** The number of inputs. */
    int size();

    /** A handle per input index, empty while that input has no job yet. */
    List<Optional<JobHandle<R>>> jobs();

    BatchCounts statusCounts();

    /**
     * Waits as long as it takes; see {@link #results(Duration)}.
     *
     * @throws KineticException if inputs are left that no live worker will take (the workers were deleted, or an older
     *     version's submitter died): it names {@link #resume()}, which starts workers again
     */
    List<R> results();

    /**
     * Waits up to {@code timeout} for every input and returns the results in input order. Keeps every job's
     * artifacts; call {@link #cleanup(Cleanup)} when done.
     *
     * @throws BatchFailedException if some inputs failed or were cancelled, with their indices and causes
     * @throws JobTimeoutException if inputs are still running after {@code timeout}
     * @throws KineticException if inputs are left that no live worker will take; it names {@link #resume()}
     */
    List<R> results(Duration timeout);

    /** Like {@link #results(Duration)}, with each failure (a Throwable) in its input's slot instead of throwing. */
    List<Object> results(Duration timeout, ReturnExceptions inPlace);

    /** The children as they end, in completion order. */
    Stream<JobHandle<R>> asCompleted();

    /** Failed inputs by index, with their causes. */
    Map<Integer, Throwable> failures();

    /** Runs the failed inputs again, each as a new job (cancelled inputs are never retried); starts workers if needed. */
    BatchHandle<R> retryFailed();

    /**
     * Starts workers again for a batch that has inputs left but no live worker: a worker pool deleted by hand, or a
     * batch written by an older version whose submitting JVM died. Does nothing while the batch's workers are alive;
     * never runs an input twice.
     */
    BatchHandle<R> resume();

    /**
     * Waits until this JVM's part in starting the batch has finished, for programs that exit right after (the CLI).
     * With a backend that runs workers (local, Kubernetes) there is none: the workers were started before
     * {@code runAsyncMap} or {@link #resume()} returned, so this returns {@code true} at once. A backend without workers
     * submits the inputs from this JVM, and this waits for that.
     *
     * @return {@code true} if it finished (or none was running here), {@code false} if {@code timeout} passed first
     * @throws KineticException if the submission stopped on an error
     */
    boolean awaitSubmission(Duration timeout);

    /** Cancels running children, stops the workers, and stops inputs not yet taken. */
    void cancel();

    /** Cleans up every child; with a store cleanup, the batch's manifest and inputs too. */
    void cleanup(Cleanup cleanup);

    /**
     * How many inputs of a batch are where, and how many workers are alive to take them.
     *
     * @param size the number of inputs
     * @param notSubmitted inputs that have no job yet
     * @param byStatus inputs by their latest job's status
     * @param workersAlive the batch's workers that are alive now (their lease is fresh)
     * @param queued inputs waiting for a worker: not taken yet, or due to run again (a retry, or an input whose worker
     *     died); inputs that will never run (the batch was cancelled, or stopped by {@code failFast}) are not queued
     * @param running inputs a worker has taken and not finished
     * @param finished inputs that have ended for good (succeeded, failed with no retry left, cancelled, or skipped)
     */
    public record BatchCounts(
            int size,
            int notSubmitted,
            Map<JobStatus, Integer> byStatus,
            int workersAlive,
            int queued,
            int running,
            int finished) {
        public BatchCounts {
            byStatus = Map.copyOf(byStatus);
        }

        /**
         * The counts as they were before workers: inputs without a job are queued, pending and running jobs are
         * running, and no worker is known.
         */
        public BatchCounts(int size, int notSubmitted, Map<JobStatus, Integer> byStatus) {
            this(
                    size,
                    notSubmitted,
                    byStatus,
                    0,
                    notSubmitted,
                    byStatus.getOrDefault(JobStatus.PENDING, 0) + byStatus.getOrDefault(JobStatus.RUNNING, 0),
                    size
                            - notSubmitted
                            - byStatus.getOrDefault(JobStatus.PENDING, 0)
                            - byStatus.getOrDefault(JobStatus.RUNNING, 0));
        }

        public int count(JobStatus status) {
            return byStatus.getOrDefault(status, 0);
        }

        /**
         * Whether every input has a job that has ended for good: none is without a job, queued or running. A
         * cancelled batch whose inputs never got a job is not done, but {@link #finished()} counts them, as nothing
         * more will run.
         */
        public boolean done() {
            return notSubmitted == 0 && queued == 0 && running == 0;
        }
    }

    /** Passed to {@link BatchHandle#results(java.time.Duration, ReturnExceptions)}: put each failure in its input's slot. */
    public enum ReturnExceptions {
        IN_PLACE
    }
}
