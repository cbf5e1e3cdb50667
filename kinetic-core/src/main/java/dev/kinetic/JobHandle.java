package dev.kinetic;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A submitted job, from the process that submitted it or from any other that attached by id. It holds only
 * the id and where to look, so it is cheap and can be recreated anywhere with {@link Kinetic#attach(String)}.
 * <pre>{@code
 * JobHandle<Double> job = Kinetic.attach("cpu-train-20261128-153012-3f9a1c2", Double.class);
 * job.followLogs(System.out::println);
 * double loss = job.result(Duration.ofHours(1));
 * }</pre>
 *
 * @param <T> the function's result type
 */
public interface JobHandle<T> {

    /** The job id, e.g. {@code cpu-train-20261128-153012-3f9a1c2}. */
    String id();

    /** The function's short name. */
    String functionName();

    /** How many hosts run the job together: 1, or the host count of a multi-host job. */
    int hosts();

    /** The current status; never throws for a job that has been cleaned up ({@link JobStatus#NOT_FOUND}). */
    JobStatus status();

    /** Status with reason, times and exit code. */
    JobInfo describe();

    /** The last {@code lines} lines of the job's output (host 0's, for a multi-host job); reads only the end of the log. */
    List<String> tail(int lines);

    /**
     * The last {@code lines} lines of one host's output, for a multi-host job; {@code tail(lines, 0)} is
     * {@link #tail(int)}.
     *
     * @throws IllegalArgumentException if the job has no host {@code host}
     */
    List<String> tail(int lines, int host);

    /** The whole output so far. */
    List<String> logs();

    /**
     * Streams the output to {@code sink}, line by line, from the beginning, as it is written; returns when
     * the job has ended and every line was delivered.
     */
    void followLogs(Consumer<String> sink);

    /**
     * {@link #followLogs(Consumer)} for one host of a multi-host job ({@link #followLogs(Consumer)} follows host 0).
     *
     * @throws IllegalArgumentException if the job has no host {@code host}
     */
    void followLogs(int host, Consumer<String> sink);

    /** Waits as long as it takes for the result; see {@link #result(Duration, Cleanup)}. */
    T result();

    /** Waits up to {@code timeout}; see {@link #result(Duration, Cleanup)}. */
    T result(Duration timeout);

    /**
     * Waits up to {@code timeout} for the job to end and returns its result. On success the given cleanup is
     * applied ({@code result()} without one uses {@link Cleanup#ALL}); a failed job keeps everything.
     *
     * @throws JobTimeoutException if the job is still running after {@code timeout}; it keeps running
     * @throws JobFailedException if the function threw (the cause is its exception) or the job died
     * @throws JobCancelledException if the job was cancelled
     * @throws JobNotFoundException if the job and its result are gone
     */
    T result(Duration timeout, Cleanup cleanup);

    /** {@link #result()} on another thread. */
    CompletableFuture<T> resultAsync();

    /**
     * Stops the job and everything it started, and records the cancellation.
     *
     * @return {@code true} if the job was running or pending and is now cancelled, {@code false} if it had
     *     already ended (nothing was changed)
     */
    boolean cancel();

    /** Deletes what {@code cleanup} names. Outputs are never deleted. */
    void cleanup(Cleanup cleanup);

    /**
     * The files the job wrote under {@code KINETIC_OUTPUT_DIR}, as synced to the store so far (at an interval
     * while it runs, and when it ends, also when killed with SIGTERM). Outputs survive cleanup.
     */
    List<OutputFile> outputs();

    /**
     * Downloads the outputs into {@code directory}, keeping their structure.
     *
     * @return the files written
     */
    List<java.nio.file.Path> downloadOutputs(java.nio.file.Path directory);

    /** The job's record as JSON, the same document the store holds. */
    String toJson();

    /**
     * A file the job wrote under {@code KINETIC_OUTPUT_DIR}, as synced to the store.
     *
     * @param path its path relative to the output directory, {@code /}-separated
     * @param size its size in bytes
     * @param lastModified when the store received it
     */
    public record OutputFile(String path, long size, Instant lastModified) {}
}
