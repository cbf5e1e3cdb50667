package dev.kinetic.cli;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.BatchView;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kinetic batches cancel <id>}: stops a batch's running inputs and those not yet submitted. */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        header = "Stop a batch: cancel its pending and running jobs, and never submit the inputs that have none yet.",
        description = {
            "A batch whose inputs have all ended is left as it is: exit 0, with a message that nothing was "
                    + "cancelled. Finished inputs keep their results; read them with `kinetic batches results`. Inputs "
                    + "without a job are never submitted afterwards, not even by `kinetic batches resume`.",
            "With -o json: {\"id\", \"cancelled\" (true or false), and the fields of `kinetic batches status -o json`}, "
                    + "the counts as they are afterwards."
        })
public final class BatchesCancelCommand extends CommandBase {
    @Mixin
    BatchIdParameter batch;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        String id;
        BatchCounts before;
        BatchCounts after;
        boolean cancelled;
        try (KineticSession kinetic = root().openSession(spec)) {
            BatchHandle<Object> handle = Batches.attach(kinetic, batch.id());
            id = handle.id();
            before = handle.statusCounts();
            cancelled = !before.done();
            if (cancelled) {
                handle.cancel();
                after = handle.statusCounts();
            } else {
                after = before;
            }
        }
        Printer p = printer();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", id);
            doc.put("cancelled", cancelled);
            BatchView.document(id, after).forEach(doc::putIfAbsent);
            p.json(doc);
        } else if (cancelled) {
            int stopped = before.count(JobStatus.PENDING) + before.count(JobStatus.RUNNING);
            int unsubmitted = before.notSubmitted();
            p.line("cancelled " + id + ": "
                    + (stopped > 0
                            ? "stopped " + plural(stopped, "pending or running job")
                            : "no job was pending or running")
                    + (unsubmitted > 0
                            ? "; " + plural(unsubmitted, "input") + " without a job will not be submitted"
                            : ""));
        }
        if (!cancelled) {
            p.note("batch " + id + " had already ended (" + BatchView.summary(before) + "); nothing was cancelled. "
                    + "Remove it with `kinetic batches cleanup " + id + "`.");
        }
        return ExitCodes.OK;
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
