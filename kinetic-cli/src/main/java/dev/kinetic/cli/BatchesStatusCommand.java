package dev.kinetic.cli;

import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.BatchView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinetic batches status <id>}: how many inputs are where. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        header = "Show how many of a batch's inputs are queued, running and finished, and how many workers are alive.",
        description = {
            "Counts each input by its latest job's status; \"not submitted\" inputs have no job yet. Queued inputs wait "
                    + "for a worker (not taken yet, or due to run again); if none is alive, start workers with "
                    + "`kinetic batches resume`.",
            "With --watch: one line per refresh until the batch is done: on a terminal a progress bar redrawn in place "
                    + "(done/total, failed, running, queued, workers, inputs per second, time left); piped, a plain line "
                    + "each time a count changes (with -o json, one JSON document per change).",
            "With -o json: {\"id\", \"size\", \"notSubmitted\", \"counts\" (every status, zeros included), \"done\", "
                    + "\"workersAlive\", \"queued\", \"running\", \"finished\"}.",
            "Exits 0 whatever the status (with --watch: once the batch is done); 1 with --watch when inputs are queued "
                    + "and no worker is alive; 3 if there is no such batch."
        })
public final class BatchesStatusCommand extends CommandBase {
    @Mixin
    BatchIdParameter batch;

    @Mixin
    OutputOption output;

    @Option(
            names = "--watch",
            description = "Keep showing the batch's progress until it is done: a progress bar on a terminal, a plain "
                    + "line per change when piped.")
    boolean watch;

    @Override
    public Integer call() {
        BatchCounts counts;
        String id;
        try (KineticSession kinetic = root().openSession(spec)) {
            var handle = Batches.attach(kinetic, batch.id());
            if (watch) {
                return new BatchWatch(printer(), root().clock(), output.json()).run(handle);
            }
            id = handle.id();
            counts = handle.statusCounts();
        }
        Printer p = printer();
        if (output.json()) {
            p.json(BatchView.document(id, counts));
            return ExitCodes.OK;
        }
        Table table = new Table("FIELD", "VALUE");
        table.row("id", id);
        table.row("size", String.valueOf(counts.size()));
        table.row("not submitted", String.valueOf(counts.notSubmitted()));
        for (JobStatus s : JobStatus.values()) {
            if (counts.count(s) > 0) {
                table.row(p.status(s), String.valueOf(counts.count(s)));
            }
        }
        table.row("workers alive", String.valueOf(counts.workersAlive()));
        table.row("queued", String.valueOf(counts.queued()));
        table.row("running", String.valueOf(counts.running()));
        table.row("finished", String.valueOf(counts.finished()));
        table.row("done", counts.done() ? "yes" : "no");
        // Without the header row: this is a record, not a listing.
        table.lines().stream().skip(1).forEach(p::line);
        return ExitCodes.OK;
    }
}
