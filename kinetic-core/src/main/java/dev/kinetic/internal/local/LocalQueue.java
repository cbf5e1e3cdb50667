package dev.kinetic.internal.local;

import dev.kinetic.KineticException;
import dev.kinetic.internal.agent.LocalSlots;
import dev.kinetic.internal.agent.ProcessIdentity;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.LiveState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    /** Puts the job at the end of the queue, with one state directory per host. */
    void enqueue(JobRecord record, Path state) {
        List<Path> hostStates = new ArrayList<>();
        for (int host = 0; host < record.hosts(); host++) {
            hostStates.add(LocalGang.stateDir(state, host));
        }
        try {
            slots.enqueue(capacity().claim(record, hostStates));
        } catch (IOException e) {
            throw new KineticException(
                    record.id().value(),
                    "cannot queue job " + record.id() + " for a local slot in " + slots.dir() + ": " + e.getMessage()
                            + "; check KINETIC_HOME",
                    e);
        }
    }

    /** Gives up the job's place in the queue or its share of the machine (its agents are gone or never started). */
    void forget(JobRecord record) {
        try {
            slots.forget(record.id().value());
        } catch (IOException e) {
            // its agents are gone, so the next agent that looks drops the claim anyway
        }
    }

    /**
     * PENDING with the reason and queue position host 0's agent wrote while it waits for a slot; empty when it does
     * not wait (or is gone: a dead agent's last words are not a state).
     */
    static Optional<LiveState> waiting(Path jobState) {
        Path file = jobState.resolve(LocalSlots.WAITING_FILE);
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            if (ProcessIdentity.parse(Files.readString(jobState.resolve("pid")))
                    .running()
                    .isEmpty()) {
                return Optional.empty();
            }
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String[] lines = text.split("\n", 3);
        if (lines.length < 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(LiveState.queued(lines[1], Integer.parseInt(lines[0].trim())));
        } catch (NumberFormatException e) {
            return Optional.of(LiveState.pending(lines[1]));
        }
    }
}
