package dev.kinetic.cli;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.BatchHandle.ReturnExceptions;
import dev.kinetic.JobHandle;
import dev.kinetic.JobStatus;
import dev.kinetic.JobTimeoutException;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.BatchView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinetic batches results <id>}: waits for every input and prints the results in input order. */
@Command(
        name = "results",
        mixinStandardHelpOptions = true,
        header = "Wait for every input of a batch to end and print the results in input order.",
        description = {
            "Columns: INDEX, STATUS, VALUE (the value as compact JSON or toString(), or the failure). "
                    + "Every job is kept: remove them with `kinetic batches cleanup`.",
            "With -o json: an array in input order; a failed or cancelled input's slot is "
                    + "{\"error\": exception type, \"message\": ...}.",
            "Failed inputs are listed on stderr with their job ids and causes.",
            "Exit codes: 0 all succeeded, 1 some failed, 3 no such batch, 4 none failed but some were cancelled, "
                    + "124 inputs still running after --timeout (they keep running)."
        })
public final class BatchesResultsCommand extends CommandBase {
    /** After this long without the batch ending, say so if inputs wait and no worker holds a lease. */
    private static final Duration HINT_AFTER = Duration.ofSeconds(3);

    @Mixin
    BatchIdParameter batch;

    @Mixin
    OutputOption output;

    @Mixin
    TimeoutOption waitLimit;

    @Option(
            names = {"-cp", "--classpath"},
            paramLabel = "CP",
            description = "Jars and class directories with the classes of the results (or of the exceptions), when "
                    + "they are your own; separated by ':', 'dir/*' for every jar in dir.")
    String classpath;

    @Override
    public Integer call() {
        Duration timeout = waitLimit.timeout(this::usage);
        Printer p = printer();
        List<InputOutcome> outcomes = new ArrayList<>();
        List<String> jobIds;
        String id;
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (KineticSession kinetic = root().openSession(spec);
                URLClassLoader loader = ResultClassLoader.of(classpath, this::usage)) {
            BatchHandle<Object> handle = Batches.attach(kinetic, batch.id());
            id = handle.id();
            // The children's handles deserialize with the context class loader.
            Thread.currentThread().setContextClassLoader(loader);
            List<Object> slots;
            try {
                slots = await(handle, timeout, p);
            } catch (JobTimeoutException e) {
                BatchCounts counts = handle.statusCounts();
                p.note("kinetic: batch " + id + " did not finish within " + waitLimit.seconds + "s ("
                        + BatchView.summary(counts)
                        + "); its jobs keep running. Wait again with `kinetic batches results " + id
                        + "`, or stop them with `kinetic batches cancel " + id + "`.");
                return ExitCodes.TIMED_OUT;
            }
            for (int i = 0; i < slots.size(); i++) {
                outcomes.add(InputOutcome.of(i, slots.get(i)));
            }
            jobIds = outcomes.stream().allMatch(InputOutcome::succeeded)
                    ? List.of()
                    : handle.jobs().stream()
                            .map(j -> j.map(JobHandle::id).orElse(null))
                            .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        print(outcomes, p);
        return reportFailures(id, outcomes, jobIds, p);
    }

    /**
     * The slots, waiting up to {@code timeout} (null: for ever). If the batch is not done after a few seconds and
     * inputs wait with no worker holding a lease yet, says so; the library ends the wait, naming {@code resume}, once
     * it is sure that no worker will come.
     */
    private List<Object> await(BatchHandle<Object> handle, Duration timeout, Printer p) {
        Duration first = timeout != null && timeout.compareTo(HINT_AFTER) <= 0 ? timeout : HINT_AFTER;
        try {
            return handle.results(first, ReturnExceptions.IN_PLACE);
        } catch (JobTimeoutException e) {
            if (first.equals(timeout)) {
                throw e;
            }
        }
        BatchCounts counts = handle.statusCounts();
        if (counts.queued() > 0 && counts.workersAlive() == 0) {
            p.note("kinetic: " + counts.queued() + " of " + counts.size() + " inputs of " + handle.id()
                    + " are waiting for a worker and none holds a lease yet; waiting (this stops with the way out if "
                    + "none comes; `kinetic batches status " + handle.id() + " --watch` shows the workers).");
        }
        return handle.results(timeout == null ? null : timeout.minus(first), ReturnExceptions.IN_PLACE);
    }

    private void print(List<InputOutcome> outcomes, Printer p) {
        if (output.json()) {
            p.json(outcomes.stream().map(InputOutcome::json).toList());
            return;
        }
        Table table = new Table("INDEX", "STATUS", "VALUE");
        for (InputOutcome o : outcomes) {
            table.row(String.valueOf(o.index()), p.status(o.status()), o.text());
        }
        p.table(table);
    }

    /** Lists the inputs that did not succeed on stderr; returns the exit code: 1 if any failed, else 4 if any was cancelled. */
    private static int reportFailures(String id, List<InputOutcome> outcomes, List<String> jobIds, Printer p) {
        List<InputOutcome> bad = outcomes.stream().filter(o -> !o.succeeded()).toList();
        if (bad.isEmpty()) {
            return ExitCodes.OK;
        }
        long failed =
                bad.stream().filter(o -> o.status() != JobStatus.CANCELLED).count();
        long cancelled = bad.size() - failed;
        int n = outcomes.size();
        String what = failed > 0
                ? failed + " of " + n + " inputs failed" + (cancelled > 0 ? " and " + cancelled + " cancelled" : "")
                : cancelled + " of " + n + " inputs were cancelled";
        p.note("kinetic: batch " + id + ": " + what + " (indices "
                + bad.stream().map(InputOutcome::index).toList() + "):");
        String example = null;
        for (InputOutcome o : bad) {
            String job = o.index() < jobIds.size() ? jobIds.get(o.index()) : null;
            p.note("  input " + o.index() + (job == null ? " (never submitted)" : " (job " + job + ")") + ": "
                    + (o.status() == JobStatus.CANCELLED ? "cancelled" : o.text()));
            if (example == null && job != null && o.status() == JobStatus.FAILED) {
                example = job;
            }
        }
        if (example != null) {
            p.note("Read a failed input's log with `kinetic jobs logs " + example
                    + "`, and its remote stack trace with " + "`kinetic jobs result " + example + " --no-cleanup`.");
        }
        return failed > 0 ? ExitCodes.FAILED : ExitCodes.CANCELLED;
    }
}
