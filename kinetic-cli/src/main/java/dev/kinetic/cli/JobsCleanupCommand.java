package dev.kinetic.cli;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.CleanupView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kinetic jobs cleanup <id>}: deletes the job's backend resource and stored artifacts. */
@Command(
        name = "cleanup",
        mixinStandardHelpOptions = true,
        header = "Delete a job's backend resource and stored artifacts (outputs are never deleted).",
        description = {
            "A running job is stopped first. After a full cleanup the job is gone: " + "`kinetic jobs status` exits 3.",
            "With -o json: {\"id\", \"backend\" (deleted?), \"store\" (deleted?)}."
        })
public final class JobsCleanupCommand extends CommandBase {
    @Mixin
    JobIdParameter job;

    @Mixin
    OutputOption output;

    @Mixin
    CleanupOptions keep;

    @Override
    public Integer call() {
        Cleanup cleanup = keep.somethingToDelete(this::usage);
        String id;
        try (KineticSession kinetic = root().openSession(spec)) {
            JobHandle<Object> handle = kinetic.attach(job.id());
            id = handle.id();
            handle.cleanup(cleanup);
        }
        Printer p = printer();
        if (output.json()) {
            p.json(CleanupView.of(id, cleanup));
        } else {
            p.line("cleaned up " + id + " ("
                    + switch (cleanup) {
                        case ALL -> "backend resource and stored artifacts";
                        case BACKEND -> "backend resource; stored artifacts kept";
                        case STORE -> "stored artifacts; backend resource kept";
                        case NONE -> "nothing";
                    }
                    + ")");
        }
        return ExitCodes.OK;
    }
}
