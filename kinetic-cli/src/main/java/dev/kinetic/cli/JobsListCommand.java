package dev.kinetic.cli;

import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.JobView;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinetic jobs list}: every job in the store, newest first, finished ones too. */
@Command(
        name = "list",
        aliases = "ls",
        mixinStandardHelpOptions = true,
        header = "List jobs, newest first, finished ones included.",
        description = "Columns: ID, FUNCTION, STATUS, ACCELERATOR, HOSTS, BACKEND, CREATED; a multi-host job is one "
                + "row. A local job waiting for a slot shows its place in the queue after its status (PENDING #3: two "
                + "jobs start before it). With -o json: an array of jobs (id, function, status, reason, accelerator, "
                + "backend, createdAt, startedAt, endedAt, exitCode, labels, hosts, queuePosition).")
public final class JobsListCommand extends CommandBase {
    @Mixin
    ListOutputOption output;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            description = "Only jobs in this status: ${COMPLETION-CANDIDATES} (case-insensitive).")
    JobStatus status;

    @Option(
            names = "--label",
            paramLabel = "KEY=VALUE",
            mapFallbackValue = "",
            description = "Only jobs with this label; repeat to require several.")
    Map<String, String> labels = Map.of();

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "0",
            description = "At most N jobs (the newest); 0 for all (default).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw usage("--limit must be 0 (all) or more, got " + limit);
        }
        List<JobInfo> jobs;
        try (KineticSession kinetic = root().openSession(spec)) {
            // The status is only known after the listing, so filter first and limit after.
            jobs = status == null
                    ? kinetic.listJobs(labels, limit)
                    : kinetic.listJobs(labels, 0).stream()
                            .filter(j -> j.status() == status)
                            .limit(limit == 0 ? Long.MAX_VALUE : limit)
                            .toList();
        }
        Printer p = printer();
        switch (output.format()) {
            case JSON -> p.json(jobs.stream().map(JobView::of).toList());
            case NAME -> jobs.forEach(j -> p.line(j.id()));
            case TABLE -> {
                Table table = new Table("ID", "FUNCTION", "STATUS", "ACCELERATOR", "HOSTS", "BACKEND", "CREATED");
                for (JobInfo j : jobs) {
                    table.row(
                            j.id(),
                            j.function(),
                            p.status(j.status()) + (j.queuePosition() == null ? "" : " #" + j.queuePosition()),
                            j.accelerator(),
                            String.valueOf(j.hosts()),
                            j.backend(),
                            p.time(j.createdAt()));
                }
                if (table.isEmpty()) {
                    p.note("No jobs in " + root().settings(spec).store() + ". Submit one with `kinetic submit` "
                            + "or from code with Kinetic.remote(...).runAsync().");
                } else {
                    p.table(table);
                }
            }
        }
        return ExitCodes.OK;
    }
}
