package dev.kinetic.internal.agent;

import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.JobOutcome;
import java.io.IOException;
import java.time.Instant;

/**
 * An agent of the local backend waiting for its job's share of the machine ({@link LocalSlots}) before it does
 * anything else, so a job that does not fit stays PENDING even when every submitting JVM has exited (its status then
 * reads its reason and place from the queue). It looks again as soon as capacity is freed or the queue moves when it
 * is near the head, and at least every second or few anyway (a SIGKILLed agent frees nothing by itself: whoever looks
 * next drops its claim).
 *
 * <p>On the agent's start-up path: loops, no lambdas (see {@link Agent}).
 */
final class SlotWait {
    private static final long POLL_MILLIS = 100;
    /** How often a job far back in the queue wakes up to see whether its periodic look is due. */
    private static final long FAR_POLL_MILLIS = 500;

    private final LocalSlots slots;
    private final String jobId;
    private final int host;
    private SlotEntry entry;
    private boolean gone;
    private volatile boolean stopRequested;

    /** @param slots the local backend's slots, or null where there are none (every job is admitted at once) */
    SlotWait(LocalSlots slots, String jobId, int host) {
        this.slots = slots;
        this.jobId = jobId;
        this.host = host;
    }

    /** The wait the agent's command asks for: for a local slot, or none. */
    static SlotWait of(dev.kinetic.spi.AgentCommand command, int host) {
        return new SlotWait(
                command.localSlots() == null ? null : new LocalSlots(command.localSlots()),
                command.jobId().value(),
                host);
    }

    /**
     * Waits until the job is admitted.
     *
     * @return false when the agent was asked to stop first ({@link #stop}), or the job's place is gone (cancelled or
     *     cleaned up): see {@link #stopped}
     */
    boolean await() throws IOException {
        if (slots == null) {
            return true;
        }
        long seen = Long.MIN_VALUE;
        long nextLook = 0;
        boolean near = true;
        String written = null;
        long waitingSince = System.nanoTime();
        while (true) {
            if (stopRequested) {
                slots.forget(jobId);
                return false;
            }
            // Only the jobs near the head of the queue look again on every change (the others could not start on it
            // anyway): with hundreds waiting, each change would otherwise have every one of them take the lock.
            long changes = near ? slots.changes() : seen;
            long now = System.nanoTime();
            if (changes != seen || now >= nextLook) {
                SlotDecision d = slots.admit(jobId);
                if (d.admitted) {
                    entry = d.entry;
                    if (written != null) {
                        System.err.println("kinetic agent: got a local slot after "
                                + (System.nanoTime() - waitingSince) / 1_000_000 + " ms");
                    }
                    return true;
                }
                if (d.entry == null) {
                    gone = true; // cancelled (the cancel request is recorded first) or cleaned up while it waited
                    return false;
                }
                if (written == null) {
                    written = d.reason();
                    System.err.println("kinetic agent: " + written);
                }
                seen = changes;
                near = d.position <= LocalSlots.window(d.entry);
                // The first few in line look often (a slot may free at any moment); those further back less so.
                nextLook = now + Math.min(5000, 1000 + 25L * d.position) * 1_000_000;
            }
            sleep(near ? POLL_MILLIS : FAR_POLL_MILLIS);
        }
    }

    /** The agent was asked to stop (SIGTERM): a wait gives up the job's place and returns false. */
    void stop() {
        stopRequested = true;
    }

    /** The task's JVM options: the job's, with a heap that fits its memory request when they set none. */
    java.util.List<String> taskJvmArgs(java.util.List<String> jvmArgs) {
        return entry == null ? jvmArgs : TaskHeap.jvmArgs(jvmArgs, entry);
    }

    /** The outcome of a job stopped while it waited: cancelled by request, or its agent terminated. */
    JobOutcome stopped(JobWriter writer) {
        if (writer.cancelRequested()) {
            return JobOutcome.cancelled("cancelled while waiting for a local slot")
                    .endedAt(Instant.now())
                    .build();
        }
        String why = gone
                ? "its place in the local queue (" + slots.dir() + ") is gone: the job was cleaned up while it waited"
                : "agent terminated (SIGTERM) while waiting for a local slot";
        return JobOutcome.failed(FailurePhase.AGENT, why).endedAt(Instant.now()).build();
    }

    /** Gives the job's share back, if it got one (the task has ended); never throws, a dead agent's share is dropped anyway. */
    void release() {
        if (slots == null || entry == null) {
            return;
        }
        try {
            slots.release(jobId, host);
        } catch (IOException | RuntimeException e) {
            System.err.println(
                    "kinetic agent: could not give back the local slot (it is freed when this agent exits): " + e);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a local slot", e);
        }
    }
}
