package dev.kinetic.cli;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.ui.view.JobView;
import java.util.function.Consumer;

/**
 * {@code kinetic submit} without {@code --detach}: streams the job's output while waiting for its outcome,
 * the same composition as the library's blocking call. Failure and cancellation propagate as the library's
 * exceptions, which the exit-code contract maps to 1 and 4.
 */
final class AttachedRun {
    private final JobHandle<?> job;
    private final Printer printer;
    private final boolean json;

    AttachedRun(JobHandle<?> job, Printer printer, boolean json) {
        this.job = job;
        this.printer = printer;
        this.json = json;
    }

    void await(Cleanup onSuccess) {
        printer.note(
                "submitted " + job.id() + "; following its output (Ctrl-C stops following, the job keeps running)");
        // With -o json stdout holds the one document, so the job's output goes to stderr.
        Consumer<String> sink = json ? printer::note : printer::line;
        Thread follower = new Thread(() -> job.followLogs(sink), "kinetic-follow-" + job.id());
        follower.setDaemon(true);
        Thread interrupted = new Thread(() -> printer.note("\nkinetic: stopped following " + job.id()
                + "; it keeps running. Follow it with `kinetic jobs logs " + job.id() + " --follow`, stop it with "
                + "`kinetic jobs cancel " + job.id() + "`."));
        Runtime.getRuntime().addShutdownHook(interrupted);
        follower.start();
        JobInfo ended;
        try {
            // Keep everything until the whole log is printed; a failed job keeps everything anyway.
            job.result(null, Cleanup.NONE);
            join(follower);
            ended = job.describe();
            job.cleanup(onSuccess);
        } catch (RuntimeException e) {
            join(follower);
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C arrived: the hook is running and says what happened
            }
        }
        if (json) {
            printer.json(JobView.of(ended));
        }
    }

    private static void join(Thread follower) {
        try {
            follower.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
