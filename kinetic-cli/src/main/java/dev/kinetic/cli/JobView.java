package dev.kinetic.cli;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kinetic.JobInfo;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job as the CLI prints it in JSON. Its field names are a contract with scripts: add fields, never rename
 * or remove one. Kept apart from {@link JobInfo} so a change to the library does not change the CLI's output.
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
    "hosts"
})
record JobView(
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
        int hosts) {

    static JobView of(JobInfo info) {
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
                info.hosts());
    }
}
