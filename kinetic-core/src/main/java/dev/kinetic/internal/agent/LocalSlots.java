package dev.kinetic.internal.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The local backend's capacity, shared by every job of one {@code KINETIC_HOME} without a daemon: the agents agree
 * among themselves, through files in {@code <home>/local/slots/}, who runs.
 *
 * <ul>
 *   <li>{@code queue/<ticket>-<job id>}: a job waiting, in submission order (tickets are numbered under the lock).
 *   <li>{@code running/<job id>}: a job holding its share of the slots (CPU) and of the memory.
 *   <li>{@code lock}: held (an OS file lock, released when its process dies) while one process decides.
 *   <li>{@code changes}: a counter bumped when capacity is freed or the queue moves, so waiting agents look again
 *       at once instead of only at their next periodic check.
 * </ul>
 *
 * A job is admitted when it and every job queued before it fit into what the live running claims leave: strictly in
 * submission order, so a large job is never starved by small ones behind it. A job larger than the whole machine
 * runs alone. A claim whose agents have all died (SIGKILL) is dropped by the next agent that looks.
 *
 * <p>On the agent's start-up path: loops, no lambdas or streams (see {@link Agent}).
 */
public final class LocalSlots {
    private final Path dir;

    public LocalSlots(Path dir) {
        this.dir = dir;
    }

    /** The slots directory of the local backend under {@code home}. */
    public static Path under(Path home) {
        return home.resolve("local").resolve("slots");
    }

    public Path dir() {
        return dir;
    }

    /**
     * Adds a job at the end of the queue (the submitter does this before it starts anything).
     *
     * @return whether its agents should start now: it fits, or it is near enough the head of the queue to wait as a
     *     process. Otherwise the submitter leaves a {@link DeferredLaunch} and the job has no process until it is.
     */
    public boolean enqueue(SlotEntry entry) throws IOException {
        Files.createDirectories(dir.resolve("queue"));
        Files.createDirectories(dir.resolve("running"));
        synchronized (LocalSlots.class) { // a JVM may not hold two locks on one file, even from two threads
            try (FileChannel channel = lockChannel();
                    FileLock unused = channel.lock()) {
                long ticket = readCounter(dir.resolve("tickets")) + 1;
                writeAtomically(dir.resolve("tickets"), String.valueOf(ticket));
                writeAtomically(dir.resolve("queue").resolve(pad(ticket) + "-" + entry.jobId()), entry.text());
                SlotDecision d = decide(entry.jobId(), false);
                return d.admitted || d.entry == null || d.position <= window(entry);
            }
        }
    }

    /**
     * Decides, under the lock, whether job {@code jobId} may run now; if so its claim moves from the queue to the
     * running claims. Drops the claims of jobs whose agents are gone on the way, and starts the kept agents of jobs
     * that have come near the head of the queue.
     */
    SlotDecision admit(String jobId) throws IOException {
        synchronized (LocalSlots.class) {
            try (FileChannel channel = lockChannel();
                    FileLock unused = channel.lock()) {
                return decide(jobId, true);
            }
        }
    }

    /**
     * Where job {@code jobId} stands, for its status: PENDING with the reason and its place while it waits in the
     * queue; empty when it is not waiting (it runs, is about to, or is not in the queue at all). Looking moves the
     * queue too (dead claims dropped, kept agents started), so a queue whose every agent was killed moves on again as
     * soon as anyone looks at one of its jobs.
     */
    public Optional<dev.kinetic.spi.LiveState> waiting(String jobId) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        SlotDecision d;
        synchronized (LocalSlots.class) {
            try (FileChannel channel = lockChannel();
                    FileLock unused = channel.lock()) {
                d = decide(jobId, false);
            }
        }
        return d.admitted || d.entry == null
                ? Optional.empty()
                : Optional.of(dev.kinetic.spi.LiveState.queued(d.reason(), d.position));
    }

    /** Whether job {@code jobId} waits in the queue (one listing, no lock: a status probe asks this first). */
    public boolean isQueued(String jobId) throws IOException {
        String suffix = "-" + jobId;
        for (Path f : sorted(dir.resolve("queue"))) {
            if (f.getFileName().toString().endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * How many waiting jobs (in jobs of its size) may wait as processes, so that they start the moment they fit; those
     * behind them are kept as {@link DeferredLaunch}es.
     */
    static int window(SlotEntry entry) {
        return (int) Math.min(1000, entry.capacityCpuMillis() / Math.max(1, entry.cpuTaken())) + 1;
    }

    /** @param take whether an admitted job's claim moves to the running ones (else this only looks) */
    private SlotDecision decide(String jobId, boolean take) throws IOException {
        Path running = dir.resolve("running");
        Optional<SlotEntry> own = SlotEntry.read(running.resolve(jobId));
        if (own.isPresent()) {
            return SlotDecision.admitted(own.get()); // another host of this job took it already
        }
        SlotDecision d = new SlotDecision();
        boolean freed = countRunning(running, d);
        boolean blocked = false;
        int position = 0; // among the live entries read so far, and the places counted behind a blocked one
        int starting = 0; // of those, the ones that fit: about to start, not waiting
        int window = Integer.MAX_VALUE;
        String suffix = "-" + jobId;
        for (Path f : sorted(dir.resolve("queue"))) {
            boolean named = f.getFileName().toString().endsWith(suffix);
            if (blocked && !named && position - starting >= window) {
                // Far behind a job that does not fit nothing can start: only count the places (a dead one among them
                // is dropped once it comes nearer), so a job far back in a long queue reads a few files, not all.
                position++;
                continue;
            }
            Optional<SlotEntry> e = SlotEntry.read(f);
            if (e.isEmpty() || !e.get().live(f, -1)) {
                Files.deleteIfExists(f);
                freed = true;
                continue;
            }
            SlotEntry entry = e.get();
            position++;
            boolean mine = named && entry.jobId().equals(jobId);
            if (!blocked && d.fits(entry)) {
                startKept(entry);
                if (mine) {
                    return admit(f, entry, take, freed);
                }
                d.reserve(entry); // an earlier job's share, kept until its agent takes it: in use for those behind it
                starting++;
                continue;
            }
            if (!blocked) {
                window = window(entry);
            }
            if (position - starting <= window) {
                startKept(entry); // near the head: it waits as a process from now on
            }
            if (mine) {
                d.waiting(entry, position - starting, blocked);
                break;
            }
            blocked = true; // first come, first served: nobody passes a job that does not fit
        }
        if (freed) {
            bump();
        }
        return d;
    }

    /** Job {@code entry} may run: with {@code take}, its claim {@code queued} moves to the running ones. */
    private SlotDecision admit(Path queued, SlotEntry entry, boolean take, boolean freed) throws IOException {
        if (take) {
            Files.move(queued, dir.resolve("running").resolve(entry.jobId()), StandardCopyOption.ATOMIC_MOVE);
        }
        if (take || freed) {
            bump();
        }
        return SlotDecision.admitted(entry);
    }

    /** Adds the live running claims to {@code d}, deleting those whose agents are gone; returns whether it did. */
    private static boolean countRunning(Path running, SlotDecision d) throws IOException {
        boolean freed = false;
        for (Path f : sorted(running)) {
            Optional<SlotEntry> e = SlotEntry.read(f);
            if (e.isEmpty() || !e.get().live(f, -1)) {
                Files.deleteIfExists(f);
                freed = true;
            } else {
                d.reserve(e.get());
            }
        }
        return freed;
    }

    /** Starts the agents kept for a job that has come near the head of the queue (see {@link DeferredLaunch}). */
    private static void startKept(SlotEntry entry) {
        for (Path host : entry.hosts()) {
            try {
                DeferredLaunch.launch(host);
            } catch (IOException | RuntimeException e) {
                System.err.println("kinetic: could not start the kept agent in " + host + ": " + e);
            }
        }
    }

    /**
     * Gives job {@code jobId}'s share back once its task has ended on host {@code host}, unless another host of it
     * still runs (the last one gives it back; a claim all of whose agents died is dropped by whoever looks next).
     */
    void release(String jobId, int host) throws IOException {
        synchronized (LocalSlots.class) {
            try (FileChannel channel = lockChannel();
                    FileLock unused = channel.lock()) {
                Path claim = dir.resolve("running").resolve(jobId);
                Optional<SlotEntry> e = SlotEntry.read(claim);
                if (e.isPresent() && e.get().live(claim, host)) {
                    return;
                }
                if (Files.deleteIfExists(claim) || e.isEmpty()) {
                    bump();
                }
            }
        }
    }

    /** Removes every claim of job {@code jobId}, waiting or running (its agent ended before it ran, or cleanup). */
    public void forget(String jobId) throws IOException {
        forget(jobId, true);
    }

    /**
     * Removes job {@code jobId}'s place in the queue, if it waits there (cancelled). A running job keeps its share
     * until its agent gives it back, once its task has stopped.
     */
    public void unqueue(String jobId) throws IOException {
        forget(jobId, false);
    }

    private void forget(String jobId, boolean running) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        synchronized (LocalSlots.class) {
            try (FileChannel channel = lockChannel();
                    FileLock unused = channel.lock()) {
                boolean removed =
                        running && Files.deleteIfExists(dir.resolve("running").resolve(jobId));
                for (Path f : sorted(dir.resolve("queue"))) {
                    if (f.getFileName().toString().endsWith("-" + jobId)) {
                        removed |= Files.deleteIfExists(f);
                    }
                }
                if (removed) {
                    bump();
                }
            }
        }
    }

    /** How often capacity was freed or the queue moved; waiting agents look again when it changes. */
    long changes() {
        return readCounter(dir.resolve("changes"));
    }

    private void bump() throws IOException {
        writeAtomically(dir.resolve("changes"), String.valueOf(readCounter(dir.resolve("changes")) + 1));
    }

    private FileChannel lockChannel() throws IOException {
        return FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private static List<Path> sorted(Path directory) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(directory)) {
            for (Path p : s) {
                if (!p.getFileName().toString().endsWith(".tmp")) {
                    out.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        Collections.sort(out);
        return out;
    }

    private static long readCounter(Path file) {
        try {
            return Long.parseLong(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Readers see the old file or the new one, never a part: written beside it, then renamed over it. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(
                file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Twelve digits, so that names sort as numbers. */
    private static String pad(long n) {
        String s = String.valueOf(n);
        StringBuilder b = new StringBuilder();
        for (int i = s.length(); i < 12; i++) {
            b.append('0');
        }
        return b.append(s).toString();
    }
}
