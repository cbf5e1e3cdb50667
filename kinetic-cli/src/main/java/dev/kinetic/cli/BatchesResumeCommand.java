package dev.kinetic.cli;

import dev.kinetic.BatchHandle;
import dev.kinetic.KineticSession;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kinetic batches resume <id>}: submits the inputs a dead submitter left without a job. */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        header = "Submit the inputs of a batch that have no job yet (when the program that started it died).",
        description = {
            "Never submits an input twice, so it is safe while the original program still runs. It stays "
                    + "until every pending input is submitted: the batch's maxConcurrent holds, so with many inputs it "
                    + "waits for running ones to end. Progress goes to stderr; Ctrl-C stops submitting (run it again later).",
            "With -o json: {\"id\", \"pending\" (inputs without a job before), \"submitted\", \"notSubmitted\" (left "
                    + "after)}.",
            "Exit codes: 0 every pending input submitted (or none was pending), 1 some were not (the batch was "
                    + "cancelled, or stopped after a failure with failFast), 3 no such batch."
        })
public final class BatchesResumeCommand extends CommandBase {
    /** How often to report progress while the submitter works. */
    private static final long PROGRESS_MILLIS = 2000;

    @Mixin
    BatchIdParameter batch;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        Printer p = printer();
        String id;
        int pending;
        int left;
        try (KineticSession kinetic = root().openSession(spec)) {
            BatchHandle<Object> handle = Batches.attach(kinetic, batch.id());
            id = handle.id();
            pending = handle.statusCounts().notSubmitted();
            left = pending == 0 ? 0 : submit(handle, pending, p);
        }
        int submitted = pending - left;
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", id);
            doc.put("pending", pending);
            doc.put("submitted", submitted);
            doc.put("notSubmitted", left);
            p.json(doc);
        } else if (pending > 0) {
            p.line("resumed " + id + ": " + pending + " input" + (pending == 1 ? " was" : "s were")
                    + " pending, submitted " + submitted);
        }
        if (pending == 0) {
            p.note("nothing to resume: every input of " + id + " has a job; see `kinetic batches status " + id + "`");
        } else if (left > 0) {
            p.note("kinetic: " + left + " input" + (left == 1 ? " was" : "s were") + " not submitted: batch " + id
                    + " was cancelled, or stopped submitting after an input failed (failFast). See `kinetic batches "
                    + "status " + id + "`.");
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    /** Resumes, waits for the submission to finish (showing progress), and returns how many inputs still have no job. */
    private static int submit(BatchHandle<Object> handle, int pending, Printer p) {
        handle.resume();
        int left = pending;
        // The CLI ends with System.exit, which would stop the submission midway: wait for it here.
        while (!handle.awaitSubmission(Duration.ofMillis(PROGRESS_MILLIS))) {
            int now = handle.statusCounts().notSubmitted();
            if (now != left) {
                p.note("submitted " + (pending - now) + " of " + pending + " pending inputs");
            }
            left = now;
        }
        return handle.statusCounts().notSubmitted();
    }
}
