package dev.kinetic.internal.agent;

import dev.kinetic.internal.protocol.JobOutcome;
import dev.kinetic.spi.AgentCommand;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What bounds a job besides its own code, kept out of {@link Agent}, which only calls it at its steps: on the local
 * backend the job's share of the machine, which the agent waits for before anything else ({@link SlotWait}); on every
 * backend the job's time limit, counted from the task's start ({@link TimeLimit}).
 *
 * <p>On the agent's start-up path: no lambdas (see {@link Agent}).
 */
final class JobLimits {
    private final SlotWait share;
    private final TimeLimit time;

    private JobLimits(SlotWait share, TimeLimit time) {
        this.share = share;
        this.time = time;
    }

    /** The limits the agent's command sets, for host {@code host} of the job. */
    static JobLimits of(AgentCommand command, int host) {
        return new JobLimits(SlotWait.of(command, host), new TimeLimit(command.timeoutMillis()));
    }

    /**
     * Waits for the job's share of the machine; returns at once where there are no local slots.
     *
     * @return false when the job is not to run: the agent was stopped, or the job cancelled or cleaned up, while it
     *     waited; its outcome is then {@link #stoppedWaiting}
     */
    boolean awaitShare() throws IOException {
        return share.await();
    }

    /** The outcome of a job that did not get to run (see {@link #awaitShare}). */
    JobOutcome stoppedWaiting(JobWriter writer) {
        return share.stopped(writer);
    }

    /** The agent was asked to stop (SIGTERM): a wait for the job's share gives up. */
    void stop() {
        share.stop();
    }

    /** The task's JVM options: the job's, with a heap that fits its share when they set none (local backend). */
    List<String> taskJvmArgs(List<String> jvmArgs) {
        return share.taskJvmArgs(jvmArgs);
    }

    /** The task has just started: its time limit runs from now. */
    void started(ScheduledExecutorService timers, TaskProcess task, OutputSync outputs) {
        time.arm(timers, task, outputs);
    }

    /** The time limit, which decides the outcome of a task it stopped (see {@link OutcomeDecider}). */
    TimeLimit time() {
        return time;
    }

    /** The task has ended (or never started): the job's share goes back, so the next job may start at once. */
    void ended() {
        share.release();
    }
}
