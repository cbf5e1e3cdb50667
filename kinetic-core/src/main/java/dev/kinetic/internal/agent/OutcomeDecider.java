package dev.kinetic.internal.agent;

import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.JobOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Turns how the task process ended (its exit code and what it left in its outcome directory, or its time limit) into
 * the job's outcome, storing the value or the exception object through the {@link JobWriter}.
 */
public final class OutcomeDecider {
    private final JobWriter writer;
    private final TimeLimit limit;

    /** For a task that has no time limit (a batch worker's input). */
    public OutcomeDecider(JobWriter writer) {
        this(writer, new TimeLimit(0));
    }

    OutcomeDecider(JobWriter writer, TimeLimit limit) {
        this.writer = writer;
        this.limit = limit;
    }

    /**
     * @param exit the task's exit code
     * @param outcomeDir where {@link TaskMain} wrote the value or the failure
     * @param startedAt when the task started
     * @param terminating whether the agent was asked to stop (SIGTERM) while the task ran
     */
    public JobOutcome decide(int exit, Path outcomeDir, Instant startedAt, boolean terminating) throws IOException {
        if (limit.expired() && exit != 0) {
            return limit.outcome(exit, startedAt); // stopped at its limit, whatever its exit code says
        }
        if (exit == 0) {
            Path value = outcomeDir.resolve(TaskMain.VALUE);
            byte[] bytes = Files.exists(value) ? Files.readAllBytes(value) : TaskMain.serialize(null);
            return writer.withStoredResult(
                    JobOutcome.succeeded()
                            .startedAt(startedAt)
                            .endedAt(Instant.now())
                            .build(),
                    bytes);
        }
        if (terminating && writer.cancelRequested()) {
            return JobOutcome.cancelled("cancelled by request")
                    .exitCode(exit)
                    .startedAt(startedAt)
                    .endedAt(Instant.now())
                    .build();
        }
        Path failureFile = outcomeDir.resolve(TaskFailure.FILE);
        if (exit == TaskMain.EXIT_FAILED && Files.exists(failureFile)) {
            TaskFailure failure = TaskFailure.read(failureFile);
            JobOutcome outcome = JobOutcome.failed(failure.phase(), failure.reason())
                    .exception(failure.type(), failure.message(), failure.stackTrace(), failure.frames())
                    .exitCode(exit)
                    .startedAt(startedAt)
                    .endedAt(Instant.now())
                    .build();
            Path object = outcomeDir.resolve(TaskMain.FAILURE_OBJECT);
            return Files.exists(object) ? writer.withStoredResult(outcome, Files.readAllBytes(object)) : outcome;
        }
        String reason = describeExit(exit);
        if (terminating) {
            reason = "agent terminated (SIGTERM); task " + reason;
        }
        return JobOutcome.failed(FailurePhase.EXECUTE, reason)
                .exitCode(exit)
                .startedAt(startedAt)
                .endedAt(Instant.now())
                .build();
    }

    /** Why a task process that recorded nothing ended, from its exit code. */
    static String describeExit(int exit) {
        if (exit > 128 && exit < 160) {
            int signal = exit - 128;
            return "killed by signal " + signal
                    + (signal == 9
                            ? " (SIGKILL: out of memory, or killed by someone)"
                            : signal == 15 ? " (SIGTERM)" : "");
        }
        return "task exited with code " + exit + " (System.exit or a JVM crash)";
    }
}
