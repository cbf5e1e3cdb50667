package dev.kinetic.cli;

import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.CancelView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kinetic jobs cancel <id>}: stops a pending or running job. */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        header = "Stop a pending or running job and everything it started.",
        description = {
            "A job that has already ended is left as it is: exit 0, with a message that nothing was cancelled.",
            "With -o json: {\"id\", \"cancelled\" (true or false), \"status\"}."
        })
public final class JobsCancelCommand extends CommandBase {
    @Mixin
    JobIdParameter job;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        boolean cancelled;
        JobInfo after;
        try (KineticSession kinetic = root().openSession(spec)) {
            JobHandle<Object> handle = kinetic.attach(job.id());
            cancelled = handle.cancel();
            after = handle.describe();
        }
        Printer p = printer();
        if (output.json()) {
            p.json(new CancelView(after.id(), cancelled, after.status().name()));
        } else if (cancelled) {
            p.line("cancelled " + after.id());
        } else {
            p.note("job " + after.id() + " had already ended (" + after.status()
                    + "); nothing was cancelled. Remove it with `kinetic jobs cleanup " + after.id() + "`.");
        }
        return ExitCodes.OK;
    }
}
