package dev.kinetic.cli;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.KineticSession;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kinetic batches resume <id>}: starts workers again for a batch whose inputs no live worker will take. */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        header = "Start workers again for a batch that has inputs left but no live worker.",
        description = {
            "A batch runs on workers that outlive the program that started it; this is for a batch whose workers are "
                    + "gone (deleted by hand, or all killed) and for a batch started by an older version whose "
                    + "program died. It does nothing while the batch's workers are alive, and never runs an input "
                    + "twice. It returns once a worker is alive (within 60 s); the workers then run the batch to the "
                    + "end. On a backend without workers it submits the inputs from here, and stays until they are "
                    + "submitted.",
            "With -o json: {\"id\", \"pending\" (inputs waiting before), \"workersAlive\", \"queued\", "
                    + "\"notSubmitted\" (after)}.",
            "Exit codes: 0 workers are alive (or nothing was waiting), 1 inputs are waiting but no worker came "
                    + "alive, 3 no such batch."
        })
public final class BatchesResumeCommand extends CommandBase {
    /** How often to report progress while this process submits (a backend without workers). */
    private static final long PROGRESS_MILLIS = 2000;
    /** How long to wait for a worker to come alive. */
    private static final Duration WORKER_START = Duration.ofSeconds(60);

    @Mixin
    BatchIdParameter batch;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        Printer p = printer();
        String id;
        BatchCounts before;
        BatchCounts after;
        try (KineticSession kinetic = root().openSession(spec)) {
            BatchHandle<Object> handle = Batches.attach(kinetic, batch.id());
            id = handle.id();
            before = handle.statusCounts();
            after = before.queued() == 0 ? before : resume(handle, p);
        }
        int pending = before.queued();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", id);
            doc.put("pending", pending);
            doc.put("workersAlive", after.workersAlive());
            doc.put("queued", after.queued());
            doc.put("notSubmitted", after.notSubmitted());
            p.json(doc);
        } else if (pending > 0) {
            p.line("resumed " + id + ": " + pending + " input" + (pending == 1 ? " was" : "s were") + " waiting; "
                    + after.workersAlive() + " worker" + (after.workersAlive() == 1 ? "" : "s") + " alive");
        }
        if (pending == 0) {
            p.note("nothing to resume: no input of " + id + " is waiting; see `kinetic batches status " + id + "`");
        } else if (after.queued() > 0 && after.workersAlive() == 0) {
            p.note("kinetic: " + after.queued() + " inputs of " + id + " are still waiting and no worker came alive "
                    + "within " + WORKER_START.toSeconds() + " s; see `kinetic batches status " + id + " --watch`");
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    /** Resumes, then waits until a worker holds a lease, the batch is done, or this process has submitted all. */
    private BatchCounts resume(BatchHandle<Object> handle, Printer p) {
        handle.resume();
        // A backend without workers submits from this JVM, which the CLI's System.exit would stop midway.
        while (!handle.awaitSubmission(Duration.ofMillis(PROGRESS_MILLIS))) {
            p.note("submitted " + (handle.size() - handle.statusCounts().notSubmitted()) + " of " + handle.size()
                    + " inputs");
        }
        Instant deadline = root().clock().instant().plus(WORKER_START);
        BatchCounts counts = handle.statusCounts();
        while (counts.workersAlive() == 0
                && counts.queued() > 0
                && root().clock().instant().isBefore(deadline)) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            counts = handle.statusCounts();
        }
        return counts;
    }
}
