package dev.kinetic.ui.view;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kinetic.JobInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job as {@code kinetic jobs list|status -o json} prints it and {@code kinetic ui} serves it under
 * {@code /api/jobs}. Its field names are a contract with scripts: add fields, never rename or remove one. Kept apart
 * from {@link JobInfo} so a change to the library does not change the CLI's or the dashboard's output.
 * {@code queuePosition} is where a PENDING local job waits for a slot (1 first), else null.
 */
@JsonPropertyOrder({
    "id",
    "function",
    "status",
    "reason",
    "accelerator",
    "backend",
    "createdAt",
    "startedAt",
    "endedAt",
    "exitCode",
    "labels",
    "hosts",
    "capturedEnv",
    "queuePosition"
})
public record JobView(
        String id,
        String function,
        String status,
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

    /** This view with {@code reason} in place of its own (the dashboard fills in ended jobs' reasons). */
    public JobView withReason(String reason) {
        return new JobView(
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
                queuePosition);
    }

    public static JobView of(JobInfo info) {
        return new JobView(
                info.id(),
                info.function(),
                info.status().name(),
                info.reason(),
                info.accelerator(),
                info.backend(),
                info.createdAt(),
                info.startedAt(),
                info.endedAt(),
                info.exitCode(),
                new TreeMap<>(info.labels()),
                info.hosts(),
                info.capturedEnv(),
                info.queuePosition());
    }
}
