package dev.kinetic;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One function fanned out over many inputs, as durable as a single job: the manifest is stored before the first
 * submission, each child records its batch and input index, and {@link Kinetic#attachBatch(String)} rebuilds
 * the handle anywhere. Results are addressed by input index, never by arrival order.
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

    /** Waits as long as it takes; see {@link #results(Duration)}. */
    List<R> results();

    /**
     * Waits up to {@code timeout} for every input and returns the results in input order. Keeps every job's
     * artifacts; call {@link #cleanup(Cleanup)} when done.
     *
     * @throws BatchFailedException if some inputs failed or were cancelled, with their indices and causes
     * @throws JobTimeoutException if inputs are still running after {@code timeout}
     */
    List<R> results(Duration timeout);

    /** Like {@link #results(Duration)}, with each failure (a Throwable) in its input's slot instead of throwing. */
    List<Object> results(Duration timeout, ReturnExceptions inPlace);

    /** The children as they end, in completion order. */
    Stream<JobHandle<R>> asCompleted();

    /** Failed inputs by index, with their causes. */
    Map<Integer, Throwable> failures();

    /** Submits new jobs for the failed inputs only (cancelled inputs are never retried). */
    BatchHandle<R> retryFailed();

    /** Submits the inputs that have no job yet (after the submitting JVM died); never submits one twice. */
    BatchHandle<R> resume();

    /**
     * Waits until this JVM's submission of the batch's inputs (started by {@code runAsyncMap} or {@link #resume()})
     * has finished, for programs that exit right after (the CLI).
     *
     * @return {@code true} if it finished (or none was running here), {@code false} if {@code timeout} passed first
     * @throws KineticException if the submission stopped on an error
     */
    boolean awaitSubmission(Duration timeout);

    /** Cancels running children and stops inputs not yet submitted. */
    void cancel();

    /** Cleans up every child; with a store cleanup, the batch's manifest and inputs too. */
    void cleanup(Cleanup cleanup);

    /**
     * How many inputs of a batch are where.
     *
     * @param size the number of inputs
     * @param notSubmitted inputs that have no job yet
     * @param byStatus inputs by their latest job's status
     */
    public record BatchCounts(int size, int notSubmitted, Map<JobStatus, Integer> byStatus) {
        public BatchCounts {
            byStatus = Map.copyOf(byStatus);
        }

        public int count(JobStatus status) {
            return byStatus.getOrDefault(status, 0);
        }

        /** Whether every input has a job that has ended. */
        public boolean done() {
            return notSubmitted == 0 && count(JobStatus.PENDING) == 0 && count(JobStatus.RUNNING) == 0;
        }
    }

    /** Passed to {@link BatchHandle#results(java.time.Duration, ReturnExceptions)}: put each failure in its input's slot. */
    public enum ReturnExceptions {
        IN_PLACE
    }
}
