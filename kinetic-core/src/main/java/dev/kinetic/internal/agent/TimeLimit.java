package dev.kinetic.internal.agent;

import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.JobOutcome;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The job's time limit ({@code JobOptions.timeout}), counted from when its task starts: when it runs out, the outputs
 * are synced, then the task's whole process tree is stopped (SIGTERM, SIGKILL after a grace period), and the job ends
 * FAILED with the reason "timed out after PT…". The agent enforces it on every backend; on Kubernetes the Job's
 * {@code activeDeadlineSeconds} is only the backstop, so the reason is recorded either way.
 *
 * <p>On the agent's path: anonymous classes, no lambdas (see {@link Agent}).
 */
final class TimeLimit {
    /** How long a task stopped at its limit has to exit after SIGTERM before it is killed. */
    private static final long STOP_GRACE_MILLIS = 5000;

    private final long millis;
    private volatile boolean expired;
    private volatile Thread stopper;

    TimeLimit(long millis) {
        this.millis = millis;
    }

    /** Whether the job has a limit at all. */
    boolean isSet() {
        return millis > 0;
    }

    /** Whether the limit ran out (and the task was stopped for it). */
    boolean expired() {
        return expired;
    }

    /** The reason the job fails with, e.g. "timed out after PT3S". */
    String reason() {
        return "timed out after " + Duration.ofMillis(millis);
    }

    /**
     * Arms the limit for a task that has just started: when it runs out, the outputs are synced (what the task wrote
     * up to its limit is kept), then the task's process tree is stopped on a thread of its own, so the timers (log
     * flushes) keep running.
     */
    void arm(ScheduledExecutorService timers, TaskProcess task, OutputSync outputs) {
        if (!isSet()) {
            return;
        }
        // The future is not needed: shutdownNow() on the timers cancels it when the task ends first.
        ScheduledFuture<?> unused = timers.schedule(
                new Runnable() {
                    @Override
                    public void run() {
                        expire(task, outputs);
                    }
                },
                millis,
                TimeUnit.MILLISECONDS);
    }

    private void expire(TaskProcess task, OutputSync outputs) {
        if (!task.isAlive()) {
            return;
        }
        expired = true;
        System.err.println("kinetic agent: " + reason() + "; syncing outputs, then stopping the task's processes");
        try {
            outputs.sync();
        } catch (IOException | RuntimeException e) {
            System.err.println("kinetic agent: output sync before the stop failed (tried again at the end): " + e);
        }
        Thread stopping = new Thread("kinetic-agent-time-limit") {
            @Override
            public void run() {
                try {
                    task.terminateTree(STOP_GRACE_MILLIS);
                } catch (InterruptedException e) {
                    task.kill();
                }
            }
        };
        stopping.setDaemon(true);
        stopper = stopping;
        stopping.start();
    }

    /**
     * The outcome of a task stopped at the limit, once its whole process tree is stopped: the task itself may exit
     * while a child it started still ignores SIGTERM, and none may outlive the agent.
     */
    JobOutcome outcome(int exit, Instant startedAt) {
        Thread s = stopper;
        try {
            if (s != null) {
                s.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return JobOutcome.failed(FailurePhase.EXECUTE, reason())
                .exitCode(exit)
                .startedAt(startedAt)
                .endedAt(Instant.now())
                .build();
    }
}
