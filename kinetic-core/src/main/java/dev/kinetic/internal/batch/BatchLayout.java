package dev.kinetic.internal.batch;

import java.util.Locale;

/**
 * Keys of a batch in the store.
 * <pre>
 * groups/&lt;id&gt;/manifest.json                        written once: options, classpath, input hashes
 * groups/&lt;id&gt;/inputs/&lt;index&gt;                        each input's payload
 * groups/&lt;id&gt;/children/&lt;index&gt;/&lt;attempt&gt;            create-only claim: the job id the attempt runs as
 * groups/&lt;id&gt;/ended/&lt;index&gt;-&lt;attempt&gt;-&lt;status&gt;      after the attempt's outcome: how it ended
 * groups/&lt;id&gt;/requeue/&lt;index&gt;-&lt;attempt&gt;          retryFailed(): the attempt may run although retries are spent
 * groups/&lt;id&gt;/pool.json                            the workers started last (a WorkerPool)
 * groups/&lt;id&gt;/workers/&lt;worker&gt;                     a worker's lease, renewed while it lives
 * groups/&lt;id&gt;/cancelled, stopped                   cancel(); failFast after the first failure for good
 * </pre>
 */
public final class BatchLayout {
    public static final String GROUPS = "groups/";

    private BatchLayout() {}

    public static String prefix(String id) {
        return "groups/" + id + "/";
    }

    public static String manifest(String id) {
        return prefix(id) + "manifest.json";
    }

    public static String input(String id, int index) {
        return prefix(id) + "inputs/" + String.format("%06d", index);
    }

    /** A create-only claim: input {@code index}'s attempt {@code attempt} is (being) submitted as the job it names. */
    public static String claim(String id, int index, int attempt) {
        return claimPrefix(id) + String.format("%06d/%03d", index, attempt);
    }

    public static String claimPrefix(String id) {
        return prefix(id) + "children/";
    }

    public static String cancelled(String id) {
        return prefix(id) + "cancelled";
    }

    /** Written (create-only) by the worker that records a failure for good when the batch fails fast. */
    public static String stopped(String id) {
        return prefix(id) + "stopped";
    }

    /** The workers started last: a {@link dev.kinetic.spi.WorkerPool}. */
    public static String pool(String id) {
        return prefix(id) + "pool.json";
    }

    /** Worker {@code worker}'s lease. */
    public static String worker(String id, String worker) {
        return workersPrefix(id) + worker;
    }

    public static String workersPrefix(String id) {
        return prefix(id) + "workers/";
    }

    /** Says input {@code index}'s attempt {@code attempt} ended with {@code status} (its outcome is the job's). */
    public static String ended(String id, int index, int attempt, dev.kinetic.JobStatus status) {
        return endedPrefix(id)
                + String.format("%06d-%03d-", index, attempt)
                + status.name().toLowerCase(Locale.ROOT);
    }

    public static String endedPrefix(String id) {
        return prefix(id) + "ended/";
    }

    /** Asks for input {@code index}'s attempt {@code attempt} to run, whatever the retries left (retryFailed). */
    public static String requeue(String id, int index, int attempt) {
        return requeuePrefix(id) + String.format("%06d-%03d", index, attempt);
    }

    public static String requeuePrefix(String id) {
        return prefix(id) + "requeue/";
    }

    /** The index, attempt and status an {@link #ended} key (or the index and attempt a {@link #requeue} key) names. */
    public static Mark mark(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        String[] parts = name.split("-");
        dev.kinetic.JobStatus status =
                parts.length > 2 ? dev.kinetic.JobStatus.valueOf(parts[2].toUpperCase(Locale.ROOT)) : null;
        return new Mark(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), status);
    }

    /** What an {@link #ended} or {@link #requeue} key says; {@code status} is null for a requeue. */
    public record Mark(int index, int attempt, dev.kinetic.JobStatus status) {}
}
