package dev.kinetic.internal.submit;

import dev.kinetic.KineticException;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.Backend;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.LiveState;
import dev.kinetic.spi.store.BlobStore;
import java.util.Map;

/**
 * The last step of a submission: asks the backend to start the agent for a recorded job. A failure that may have
 * created the job anyway (a timeout) is checked with the backend before anything is deleted, so a running job is
 * never stranded without its record.
 */
public final class Launcher {
    private Launcher() {}

    /**
     * Starts the recorded job, handing the backend the captured environment values (never stored).
     *
     * @throws KineticException if the backend refused it (its record and payload are then removed), or if it cannot
     *     tell whether the job was created (then everything is kept, and the message says how to check)
     */
    public static void launch(JobRecord record, Backend backend, BlobStore store, Map<String, String> captured) {
        try {
            backend.submit(record, AgentCommand.forRecord(record), captured);
        } catch (RuntimeException e) {
            LiveState live;
            try {
                live = backend.probe(record);
            } catch (RuntimeException probeFailure) {
                e.addSuppressed(probeFailure);
                throw new KineticException(
                        record.id().value(),
                        "could not confirm whether job " + record.id()
                                + " was created on backend " + backend.name() + " (" + e.getMessage()
                                + "); its record and "
                                + "artifacts are kept: check with `kinetic jobs status " + record.id()
                                + "` and remove it with "
                                + "`kinetic jobs cleanup " + record.id() + "`",
                        e);
            }
            if (live.phase() == LiveState.Phase.RUNNING || live.phase() == LiveState.Phase.PENDING) {
                return; // the backend did create it
            }
            store.deletePrefix(JobLayout.jobPrefix(record.id()));
            throw e instanceof KineticException k
                    ? k
                    : new KineticException(
                            record.id().value(),
                            "could not submit job " + record.id() + " to backend " + backend.name() + ": " + e,
                            e);
        }
    }
}
