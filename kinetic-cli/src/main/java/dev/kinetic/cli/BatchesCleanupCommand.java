package dev.kinetic.cli;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.Cleanup;
import dev.kinetic.KineticSession;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kinetic batches cleanup <id>}: cleans up every job of the batch, and with the store part the batch itself. */
@Command(
        name = "cleanup",
        mixinStandardHelpOptions = true,
        header =
                "Delete a batch's jobs (backend resources and stored artifacts) and the batch itself (outputs are never deleted).",
        description = {
            "A batch that has not ended is cancelled first. With the store part (the default), the batch's "
                    + "manifest and inputs are deleted too: afterwards `kinetic batches status` exits 3.",
            "With -o json: {\"id\", \"jobs\" (how many were cleaned up), \"cancelled\" (stopped first?), "
                    + "\"backend\" (deleted?), \"store\" (deleted?)}."
        })
public final class BatchesCleanupCommand extends CommandBase {
    @Mixin
    BatchIdParameter batch;

    @Mixin
    OutputOption output;

    @Mixin
    CleanupOptions keep;

    @Override
    public Integer call() {
        Cleanup cleanup = keep.somethingToDelete(this::usage);
        String id;
        long jobs;
        boolean cancelled;
        try (KineticSession kinetic = root().openSession(spec)) {
            BatchHandle<Object> handle = Batches.attach(kinetic, batch.id());
            id = handle.id();
            BatchCounts counts = handle.statusCounts();
            // As `jobs cleanup` stops a running job: otherwise a live submitter would go on submitting inputs.
            cancelled = !counts.done();
            if (cancelled) {
                handle.cancel();
            }
            jobs = handle.jobs().stream().filter(Optional::isPresent).count();
            handle.cleanup(cleanup);
        }
        Printer p = printer();
        if (cancelled) {
            p.note("batch " + id + " had not ended: cancelled it first");
        }
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", id);
            doc.put("jobs", jobs);
            doc.put("cancelled", cancelled);
            doc.put("backend", cleanup.backend());
            doc.put("store", cleanup.store());
            p.json(doc);
        } else {
            p.line("cleaned up " + id + ": " + jobs + " job" + (jobs == 1 ? "" : "s") + " ("
                    + switch (cleanup) {
                        case ALL -> "backend resources and stored artifacts; the batch's manifest and inputs too";
                        case BACKEND -> "backend resources; stored artifacts and the batch kept";
                        case STORE -> "stored artifacts, the batch's manifest and inputs; backend resources kept";
                        case NONE -> "nothing";
                    }
                    + ")");
        }
        return ExitCodes.OK;
    }
}
