package dev.kinetic.cli;

import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.BatchView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kinetic batches status <id>}: how many inputs are where. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        header = "Show how many of a batch's inputs are pending, running, succeeded, failed or cancelled.",
        description = {
            "Counts each input by its latest job's status; \"not submitted\" inputs have no job yet "
                    + "(if the program that started the batch has ended, submit them with `kinetic batches resume`).",
            "With -o json: {\"id\", \"size\", \"notSubmitted\", \"counts\" (every status, zeros included), \"done\"}.",
            "Exits 0 whatever the status; 3 if there is no such batch."
        })
public final class BatchesStatusCommand extends CommandBase {
    @Mixin
    BatchIdParameter batch;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        BatchCounts counts;
        String id;
        try (KineticSession kinetic = root().openSession(spec)) {
            var handle = Batches.attach(kinetic, batch.id());
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
        table.row("done", counts.done() ? "yes" : "no");
        // Without the header row: this is a record, not a listing.
        table.lines().stream().skip(1).forEach(p::line);
        return ExitCodes.OK;
    }
}
