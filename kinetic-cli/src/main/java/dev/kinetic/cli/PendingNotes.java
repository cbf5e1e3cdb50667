package dev.kinetic.cli;

import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import java.util.function.Consumer;

/**
 * While a command waits for a job ({@code submit} without {@code --detach}, {@code jobs result}), says on stderr
 * why it has not started, each time the reason changes: the library reports status changes to the session's
 * listener; the command prints them.
 */
final class PendingNotes {
    private PendingNotes() {}

    static Consumer<JobInfo> to(Printer printer) {
        return info -> {
            if (info.status() == JobStatus.PENDING && info.reason() != null) {
                printer.note("kinetic: " + info.id() + " is PENDING: " + info.reason());
            }
        };
    }
}
