package dev.kinetic.internal.local;

import dev.kinetic.KineticException;
import dev.kinetic.internal.log.FileByteSource;
import dev.kinetic.internal.log.LogTail;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.Backend;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.LiveFollow;
import dev.kinetic.spi.LiveState;
import dev.kinetic.spi.WorkerPool;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs each job as a detached agent process on this machine, in its own session ({@code setsid}), so it
 * survives the submitting JVM exiting, being killed, or Ctrl-C. Per job it keeps a state directory
 * ({@code <home>/local/<id>/}) with the agent's pid, its stdout (the live log) and its stderr.
 */
public final class LocalBackend implements Backend {
    static final String HOST = "host";
    static final String STATE_DIR = "stateDir";
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(15);
    /** {@code off} starts agent and task JVMs without class-data-sharing archives (to compare, or if a JVM misbehaves). */
    public static final String CLASS_ARCHIVES_ENV = "KINETIC_CLASS_ARCHIVES";

    private final Path home;
    private final String host;
    private final AgentLauncher agents;
    private final LocalWorkers workers;
    /** The machine as a one-node cluster: jobs wait in a queue for their share of its slots and memory. */
    private final LocalQueue queue;

    public LocalBackend(Path home, ProcessLauncher launcher) {
        this(home, launcher, Map.of(), Map.of());
    }

    /**
     * @param environment the session's environment; its store-related variables are given to every agent, so a
     *     session configured in code (not through the process environment) still reaches its store
     * @param settings the session's resolved settings ({@code local-slots}, {@code cpu}, {@code memory}: see LocalQueue)
     */
    public LocalBackend(
            Path home, ProcessLauncher launcher, Map<String, String> environment, Map<String, String> settings) {
        this.home = home;
        this.host = hostName();
        this.agents =
                new AgentLauncher(home, launcher, environment, !"off".equals(environment.get(CLASS_ARCHIVES_ENV)));
        this.workers = new LocalWorkers(home, host);
        this.queue = new LocalQueue(home, settings);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Map<String, String> prepare(JobRecord draft) {
        Path state = home.resolve("local").resolve(draft.id().value());
        queue.check(draft, state); // a bad cpu or memory request fails now, before anything is written
        try {
            // Made before the record is written, so a job whose agent is still being launched reads PENDING.
            Files.createDirectories(state);
        } catch (IOException e) {
            throw new KineticException(
                    draft.id().value(),
                    "cannot create the local state directory " + state + ": " + e.getMessage() + "; check KINETIC_HOME",
                    e);
        }
        return Map.of(HOST, host, STATE_DIR, state.toString());
    }

    @Override
    public void submit(JobRecord record, AgentCommand command) {
        submit(record, command, Map.of());
    }

    /**
     * The captured values go into each agent's environment only: no file, log or store object holds them. So a job
     * that captured any is never kept as a launch file far back in the queue: its agents start at once and wait for
     * their turn as processes, holding the values in memory.
     */
    @Override
    public void submit(JobRecord record, AgentCommand recorded, Map<String, String> capturedEnvironment) {
        Path state = stateDir(record);
        // Its place first; far back in a queue its agents start later, unless they carry captured values.
        boolean now = queue.enqueue(record, state) || !capturedEnvironment.isEmpty();
        AgentCommand command = recorded.withLocalSlots(queue.dir());
        try {
            launch(record, command, state, capturedEnvironment, now);
        } catch (KineticException e) {
            queue.forget(record); // its other hosts' agents, if any, then fail; a stale place is dropped anyway
            throw e;
        }
    }

    private void launch(
            JobRecord record, AgentCommand command, Path state, Map<String, String> capturedEnvironment, boolean now) {
        if (record.hosts() == 1) {
            agents.launch(record, command, state, capturedEnvironment, now);
            return;
        }
        // One agent per host, each with its own state directory, task JVM and port on 127.0.0.1 (host 0's is the
        // coordinator address). They find each other through the store (see the agent's Gang).
        List<String> addresses = LocalGang.reserveAddresses(record.id(), record.hosts());
        AgentCommand gang = command.withGang(addresses, addresses.get(0), LocalGang.isTpu(record.accelerator()));
        for (int host = 0; host < record.hosts(); host++) {
            agents.launch(record, gang.withHostIndex(host), LocalGang.stateDir(state, host), capturedEnvironment, now);
        }
    }

    @Override
    public LiveState probe(JobRecord record) {
        if (!host.equals(record.backendRef().get(HOST))) {
            return LiveState.of(LiveState.Phase.UNKNOWN);
        }
        Path state = stateDir(record);
        if (!Files.isDirectory(state)) {
            return LiveState.of(LiveState.Phase.GONE);
        }
        LiveState waiting = queue.waiting(record).orElse(null);
        if (waiting != null) {
            return waiting;
        }
        if (record.hosts() > 1) {
            LiveState gang = LocalGang.probe(state, record.hosts());
            return gang.phase() == LiveState.Phase.EXITED && gang.reason() == null
                    ? new LiveState(LiveState.Phase.EXITED, LocalLogs.lastWords(state), null, null)
                    : gang;
        }
        LiveState input = LocalWorkers.probeInput(state);
        if (input != null) {
            return input; // an input a batch worker runs: the worker's process, not an agent of its own
        }
        Optional<ProcessHandle> agent = agentProcess(state);
        if (agent.isPresent()) {
            return new LiveState(
                    LiveState.Phase.RUNNING,
                    null,
                    null,
                    agent.get().info().startInstant().orElse(null));
        }
        if (!Files.exists(state.resolve("pid"))) {
            // The submitter writes the pid right after the launch; a state directory without one for longer
            // than that means the submitter died in between and nothing was started.
            if (olderThan(state, Duration.ofSeconds(15))) {
                return LiveState.of(LiveState.Phase.GONE);
            }
            return LiveState.pending("starting the agent process");
        }
        return new LiveState(LiveState.Phase.EXITED, LocalLogs.lastWords(state), null, null);
    }

    @Override
    public Optional<List<String>> tailLive(JobRecord record, int lines) {
        return tailLive(record, lines, 0);
    }

    @Override
    public Optional<List<String>> tailLive(JobRecord record, int lines, int host) {
        Path log = liveLog(record, host);
        if (log == null) {
            return Optional.empty();
        }
        return Optional.of(LogTail.tail(List.of(new FileByteSource(log)), lines));
    }

    @Override
    public LiveFollow followLive(JobRecord record, Consumer<String> sink) {
        return followLive(record, 0, sink);
    }

    @Override
    public LiveFollow followLive(JobRecord record, int host, Consumer<String> sink) {
        Path log = liveLog(record, host);
        if (log == null) {
            return LiveFollow.notLive();
        }
        Path hostState = LocalGang.stateDir(stateDir(record), host);
        return LocalLogs.follow(log, sink, () -> {
            if (record.hosts() > 1) {
                return LocalGang.agent(hostState).isPresent();
            }
            LiveState.Phase phase = probe(record).phase();
            return phase == LiveState.Phase.RUNNING || phase == LiveState.Phase.PENDING;
        });
    }

    @Override
    public void awaitChange(JobRecord record, Duration max) throws InterruptedException {
        // Wake up as soon as the agent exits; its outcome is written just before.
        Optional<ProcessHandle> agent =
                host.equals(record.backendRef().get(HOST)) ? agentProcess(stateDir(record)) : Optional.empty();
        if (agent.isEmpty()) {
            Thread.sleep(Math.max(1, max.toMillis()));
            return;
        }
        try {
            agent.get().onExit().get(Math.max(1, max.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // timed out: the caller looks again
        }
    }

    @Override
    public void cancel(JobRecord record) {
        queue.cancel(record); // first, so that no agent kept for later is started from now on
        // Every host at once: collect each agent's tree first (once an agent dies its children are re-parented and no
        // longer found), SIGTERM all agents (each forwards it and records the cancellation), then wait for them.
        List<ProcessHandle> agents = new ArrayList<>();
        List<ProcessHandle> trees = new ArrayList<>();
        for (Optional<ProcessHandle> agent : LocalGang.agents(stateDir(record), record.hosts())) {
            if (agent.isPresent()) {
                agents.add(agent.get());
                trees.addAll(agent.get().descendants().toList());
            }
        }
        for (ProcessHandle agent : agents) {
            agent.destroy();
        }
        long deadline = System.nanoTime() + CANCEL_GRACE.toNanos();
        for (ProcessHandle agent : agents) {
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                agent.onExit().get(left, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception timedOut) {
                agent.destroyForcibly();
            }
        }
        for (ProcessHandle p : trees) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    @Override
    public void delete(JobRecord record) {
        if (!host.equals(record.backendRef().get(HOST))) {
            return; // its state directory is on another machine; nothing of it is here
        }
        Path state = stateDir(record);
        for (Optional<ProcessHandle> agent : LocalGang.agents(state, record.hosts())) {
            if (agent.isPresent()) {
                cancel(record);
                break;
            }
        }
        queue.forget(record);
        try (Stream<Path> walk = Files.walk(state)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new KineticException(
                    record.id().value(),
                    "could not delete the local state of job " + record.id() + " in " + state + ": " + e.getMessage(),
                    e);
        }
    }

    // ---- Batch workers: detached agents in worker mode, one per slot (LocalWorkers).

    @Override
    public boolean runsWorkers() {
        return true;
    }

    @Override
    public WorkerPool prepareWorkers(WorkerPool draft) {
        return workers.prepare(draft);
    }

    @Override
    public void startWorkers(WorkerPool pool, AgentCommand command, Map<String, String> capturedEnvironment) {
        for (int i = 0; i < pool.workers(); i++) {
            // The captured values go into each worker's environment only, as into an agent's.
            agents.launch(
                    pool.template(),
                    LocalWorkers.forWorker(command, pool, i),
                    workers.workerDir(pool, i),
                    capturedEnvironment,
                    true);
        }
    }

    @Override
    public LiveState probeWorkers(WorkerPool pool) {
        return workers.probe(pool);
    }

    @Override
    public void stopWorkers(WorkerPool pool) {
        workers.stop(pool);
    }

    @Override
    public void deleteWorkers(WorkerPool pool) {
        workers.delete(pool);
    }

    private static boolean olderThan(Path p, Duration age) {
        try {
            return Files.getLastModifiedTime(p)
                    .toInstant()
                    .isBefore(Instant.now().minus(age));
        } catch (IOException e) {
            return false;
        }
    }

    private Path liveLog(JobRecord record, int jobHost) {
        if (!host.equals(record.backendRef().get(HOST))) {
            return null;
        }
        Path log = LocalGang.stateDir(stateDir(record), jobHost).resolve("output.log");
        return Files.exists(log) ? log : null;
    }

    private Path stateDir(JobRecord record) {
        String dir = record.backendRef().get(STATE_DIR);
        return dir != null
                ? Path.of(dir)
                : home.resolve("local").resolve(record.id().value());
    }

    /** The agent process, if it is still the one we started (pid and start time match). */
    private static Optional<ProcessHandle> agentProcess(Path state) {
        return LocalGang.agent(state);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
