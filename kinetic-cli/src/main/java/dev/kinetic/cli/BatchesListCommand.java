package dev.kinetic.cli;

import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.BatchView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kinetic batches list}: every batch in the store. */
@Command(
        name = "list",
        aliases = "ls",
        mixinStandardHelpOptions = true,
        header = "List the batches in the store.",
        description = {
            "Prints the batch ids, one a line, in id order (cheap: one listing of the store).",
            "With -o json: an array of the documents `kinetic batches status -o json` prints (id, size, notSubmitted, "
                    + "counts, done, workersAlive, queued, running, finished); this reads every batch, so it takes longer."
        })
public final class BatchesListCommand extends CommandBase {
    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        Printer p = printer();
        List<String> ids;
        List<Map<String, Object>> batches = new ArrayList<>();
        try (KineticSession kinetic = root().openSession(spec)) {
            ids = kinetic.listBatches().stream().sorted().toList();
            if (output.json()) {
                for (String id : ids) {
                    try {
                        BatchCounts counts = Batches.attach(kinetic, id).statusCounts();
                        batches.add(BatchView.document(id, counts));
                    } catch (KineticException e) {
                        // One broken or vanishing batch must not hide the others.
                        p.note("kinetic: skipping batch " + id + ": " + e.getMessage());
                    }
                }
            }
        }
        if (output.json()) {
            p.json(batches);
        } else if (ids.isEmpty()) {
            p.note("No batches in " + root().settings(spec).store() + ". Start one from code with "
                    + "Kinetic.remote(f).runAsyncMap(inputs).");
        } else {
            ids.forEach(p::line);
        }
        return ExitCodes.OK;
    }
}
