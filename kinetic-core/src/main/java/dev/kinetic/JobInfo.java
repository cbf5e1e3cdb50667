package dev.kinetic;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of one job: what {@link JobHandle#describe()} and {@link Kinetic#listJobs()} return.
 *
 * @param id the job id
 * @param function the function's short name
 * @param status where the job is
 * @param reason why it is in that status, when there is more to say (FAILED, PENDING), else {@code null}
 * @param accelerator the accelerator asked for, e.g. {@code cpu}, {@code l4}, {@code tpu-v5e-1}
 * @param backend the backend name, e.g. {@code local}
 * @param createdAt when it was submitted
 * @param startedAt when the function started, or {@code null}
 * @param endedAt when it ended, or {@code null}
 * @param exitCode the task process's exit code, or {@code null} while running or unknown
 * @param labels the user's labels
 * @param hosts how many hosts run the job together (1 for a job of one host)
 * @param capturedEnv the names of the environment variables the job captured (never their values)
 * @param queuePosition where a PENDING job waits in its backend's queue (1 for the first: the local backend starts
 *     jobs in submission order as slots free up), or {@code null}
 */
public record JobInfo(
        String id,
        String function,
        JobStatus status,
        String reason,
        String accelerator,
        String backend,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        Integer exitCode,
        Map<String, String> labels,
        int hosts,
        List<String> capturedEnv,
        Integer queuePosition) {

    /** A snapshot without a queue position. */
    public JobInfo(
            String id,
            String function,
            JobStatus status,
            String reason,
            String accelerator,
            String backend,
            Instant createdAt,
            Instant startedAt,
            Instant endedAt,
            Integer exitCode,
            Map<String, String> labels,
            int hosts,
            List<String> capturedEnv) {
        this(
                id,
                function,
                status,
                reason,
                accelerator,
                backend,
                createdAt,
                startedAt,
                endedAt,
                exitCode,
                labels,
                hosts,
                capturedEnv,
                null);
    }

    public JobInfo {
        capturedEnv = capturedEnv == null ? List.of() : List.copyOf(capturedEnv);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        hosts = Math.max(1, hosts);
    }

    /** The reason, when there is one. */
    public Optional<String> reasonText() {
        return Optional.ofNullable(reason);
    }
}
