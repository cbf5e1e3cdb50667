package dev.kinetic.internal.local;

import dev.kinetic.KineticException;
import dev.kinetic.internal.agent.ClassArchives;
import dev.kinetic.internal.agent.DeferredLaunch;
import dev.kinetic.internal.agent.LocalSlots;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.LiveState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local backend's side of its slots ({@link LocalSlots}): a submitted job takes its place in the queue before its
 * agents start (they then wait there for its share of the machine), status reads where a waiting job stands, and
 * cleanup gives its place or share up.
 */
final class LocalQueue {
    private final Map<String, String> settings;
    private final LocalSlots slots;
    private volatile LocalCapacity capacity;

    /**
     * @param settings the session's resolved settings: {@code local-slots}, and the {@code cpu} and {@code memory}
     *     every job requests unless it says otherwise
     */
    LocalQueue(Path home, Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
        this.slots = new LocalSlots(LocalSlots.under(home));
    }

    Path dir() {
        return slots.dir();
    }

    /** Read on first use: finding the machine's memory costs a JVM that only lists jobs for nothing. */
    LocalCapacity capacity() {
        LocalCapacity c = capacity;
        if (c == null) {
            c = LocalCapacity.from(settings);
            capacity = c;
        }
        return c;
    }

    /**
     * Fails now, before anything is written, when the job's {@code cpu} or {@code memory} request is not a quantity.
     */
    void check(JobRecord draft, Path state) {
        capacity().claim(draft, List.of(state));
    }

    /**
     * Puts the job at the end of the queue, with one state directory per host.
     *
     * @return whether its agents start now (they then wait for its share themselves); else they are kept as
     *     {@link dev.kinetic.internal.agent.DeferredLaunch}es until the job comes near the head of the queue
     */
    boolean enqueue(JobRecord record, Path state) {
        List<Path> hostStates = new ArrayList<>();
        for (int host = 0; host < record.hosts(); host++) {
            hostStates.add(LocalGang.stateDir(state, host));
        }
        try {
            return slots.enqueue(capacity().claim(record, hostStates));
        } catch (IOException e) {
            throw new KineticException(
                    record.id().value(),
                    "cannot queue job " + record.id() + " for a local slot in " + slots.dir() + ": " + e.getMessage()
                            + "; check KINETIC_HOME",
                    e);
        }
    }

    /** Gives up the job's place in the queue or its share of the machine (cleaned up, or its agents never started). */
    void forget(JobRecord record) {
        try {
            slots.forget(record.id().value());
        } catch (IOException e) {
            // its agents are gone, so the next agent that looks drops the claim anyway
        }
        deleteKeptLaunches(record);
    }

    /**
     * A cancel: gives up the job's place in the queue, so no agent kept for later is started from now on. A running
     * job's share stays taken until its agent gives it back, once its task has stopped.
     */
    void cancel(JobRecord record) {
        try {
            slots.unqueue(record.id().value());
        } catch (IOException e) {
            // its agents are stopped next; a waiting one then gives up its place itself
        }
        deleteKeptLaunches(record);
    }

    /** Deletes the launches kept for the job's agents: they hold the agents' environment (store credentials). */
    private static void deleteKeptLaunches(JobRecord record) {
        String state = record.backendRef().get(LocalBackend.STATE_DIR);
        for (int host = 0; state != null && host < record.hosts(); host++) {
            try {
                Files.deleteIfExists(LocalGang.stateDir(Path.of(state), host).resolve(DeferredLaunch.FILE));
            } catch (IOException e) {
                // the state directory goes with the job's cleanup
            }
        }
    }

    /**
     * The class-data-sharing plan of an agent started {@code now}; one started later only maps an archive that exists
     * already, since a dump would hold the archive's lock for as long as the job waits. None without {@code archives}.
     */
    static ClassArchives.Plan archivePlan(
            ClassArchives archives, String classpath, List<String> jvmOptions, boolean now) {
        if (archives == null) {
            return ClassArchives.Plan.NONE;
        }
        ClassArchives.Plan plan = archives.plan(classpath, jvmOptions);
        if (now || !plan.dumps()) {
            return plan;
        }
        archives.finish(plan, classpath, false); // gives the claim to dump back
        return ClassArchives.Plan.NONE;
    }

    /**
     * PENDING with the reason and place in the queue while the job waits for its share of the machine; empty when it
     * does not wait (it runs, or is about to, or was never queued).
     */
    Optional<LiveState> waiting(JobRecord record) {
        try {
            return slots.isQueued(record.id().value())
                    ? slots.waiting(record.id().value())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.of(LiveState.pending("waiting for a local slot (the queue in " + slots.dir()
                    + " cannot be read now: " + e.getMessage() + ")"));
        }
    }
}
