package dev.kinetic.cli;

import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.JobView;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kinetic jobs status <id>}: the status and, where there is one, the reason. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        header = "Show a job's status and, where there is one, the reason.",
        description = {
            "Prints the status (PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED) and the reason, times "
                    + "and exit code. A local job waiting for a slot (see the local-slots setting) also shows its "
                    + "queue position (1: it starts next). Exits 0 whatever the status; 3 if there is no such job."
        })
public final class JobsStatusCommand extends CommandBase {
    @Mixin
    JobIdParameter job;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        JobInfo info;
        try (KineticSession kinetic = root().openSession(spec)) {
            info = kinetic.attach(job.id()).describe();
        }
        Printer p = printer();
        if (output.json()) {
            p.json(JobView.of(info));
        } else {
            Table table = new Table("FIELD", "VALUE");
            table.row("id", info.id());
            table.row("function", info.function());
            table.row("status", p.status(info.status()));
            if (info.reason() != null) {
                table.row("reason", info.reason());
            }
            if (info.queuePosition() != null) {
                table.row("queue position", String.valueOf(info.queuePosition()));
            }
            table.row("accelerator", info.accelerator());
            if (info.hosts() > 1) {
                table.row("hosts", String.valueOf(info.hosts()));
            }
            table.row("backend", info.backend());
            table.row("created", p.time(info.createdAt()));
            table.row("started", p.time(info.startedAt()));
            table.row("ended", p.time(info.endedAt()));
            if (info.exitCode() != null) {
                table.row("exit code", String.valueOf(info.exitCode()));
            }
            if (!info.labels().isEmpty()) {
                table.row(
                        "labels",
                        String.join(
                                ",",
                                new TreeMap<>(info.labels())
                                        .entrySet().stream()
                                                .map(e -> e.getKey() + "=" + e.getValue())
                                                .toList()));
            }
            // Without the header row: this is a record, not a listing.
            table.lines().stream().skip(1).forEach(p::line);
        }
        if (info.status() == JobStatus.NOT_FOUND) {
            p.note("kinetic: job " + info.id()
                    + " is gone from the backend and the store; list jobs with `kinetic jobs list`");
            return ExitCodes.NOT_FOUND;
        }
        return ExitCodes.OK;
    }
}
