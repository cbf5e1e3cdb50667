package dev.kinetic.internal.local;

import dev.kinetic.KineticException;
import dev.kinetic.internal.agent.ProcessIdentity;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.LiveState;
import dev.kinetic.spi.WorkerPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A batch's workers on this machine: one detached agent per worker, started like a job's agent ({@code setsid}, in its
 * own session, so it outlives the submitting JVM), each with its state directory under the pool's
 * ({@code <home>/local/<pool>/w<i>/}: pid, output, agent log). Each input a worker runs gets a state directory of its
 * own ({@code <home>/local/<job id>/}) with the input's live output and the worker's pid while it runs it, so status,
 * tail and follow of the input's job work as for any local job.
 */
final class LocalWorkers {
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Path home;
    private final String host;

    LocalWorkers(Path home, String host) {
        this.home = home;
        this.host = host;
    }

    WorkerPool prepare(WorkerPool draft) {
        Map<String, String> child = new LinkedHashMap<>();
        String state = home.resolve("local").resolve(WorkerPool.JOB_PLACEHOLDER).toString();
        child.put(LocalBackend.HOST, host);
        child.put(LocalBackend.STATE_DIR, state);
        child.put(WorkerPool.LIVE_DIR_REF, state);
        Map<String, String> pool = new LinkedHashMap<>();
        pool.put(LocalBackend.HOST, host);
        pool.put(LocalBackend.STATE_DIR, poolDir(draft).toString());
        return draft.withRefs(pool, child);
    }

    /** Worker {@code i}'s id: unique per batch, pool generation and slot. */
    static String workerId(WorkerPool pool, int i) {
        return pool.name() + "-w" + i;
    }

    Path workerDir(WorkerPool pool, int i) {
        return poolDir(pool).resolve("w" + i);
    }

    private Path poolDir(WorkerPool pool) {
        return home.resolve("local").resolve(pool.name());
    }

    /** How the pool's workers are: RUNNING while one runs, EXITED once all ran and ended, GONE without a trace. */
    LiveState probe(WorkerPool pool) {
        if (!host.equals(pool.backendRef().get(LocalBackend.HOST))) {
            return new LiveState(
                    LiveState.Phase.UNKNOWN,
                    "the workers run on " + pool.backendRef().get(LocalBackend.HOST) + ", not here",
                    null,
                    null);
        }
        if (!Files.isDirectory(poolDir(pool))) {
            return LiveState.of(LiveState.Phase.GONE);
        }
        int running = 0;
        int starting = 0;
        for (int i = 0; i < pool.workers(); i++) {
            Path dir = workerDir(pool, i);
            if (LocalGang.agent(dir).isPresent()) {
                running++;
            } else if (!Files.exists(dir.resolve("pid"))) {
                starting++; // being launched right now, or its launcher died in between
            }
        }
        if (running > 0) {
            return new LiveState(
                    LiveState.Phase.RUNNING, running + " of " + pool.workers() + " workers running", null, null);
        }
        return starting > 0 && !olderThan(poolDir(pool), LocalGang.LAUNCH_GRACE)
                ? LiveState.pending("starting " + starting + " workers")
                : LiveState.of(LiveState.Phase.EXITED);
    }

    /**
     * Stops every worker: SIGTERM (each records its input as cancelled if the batch was, and gives its lease up), then
     * SIGKILL after the grace period, and whatever task JVMs they left.
     */
    void stop(WorkerPool pool) {
        if (!host.equals(pool.backendRef().get(LocalBackend.HOST))) {
            throw new KineticException(
                    pool.batchId(),
                    "the workers of batch " + pool.batchId() + " run on "
                            + pool.backendRef().get(LocalBackend.HOST) + "; stop them there",
                    null);
        }
        List<ProcessHandle> workers = new ArrayList<>();
        List<ProcessHandle> trees = new ArrayList<>();
        for (int i = 0; i < pool.workers(); i++) {
            Optional<ProcessHandle> worker = LocalGang.agent(workerDir(pool, i));
            if (worker.isPresent()) {
                workers.add(worker.get());
                trees.addAll(worker.get().descendants().toList());
            }
        }
        for (ProcessHandle w : workers) {
            w.destroy();
        }
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle w : workers) {
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                w.onExit().get(left, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception timedOut) {
                w.destroyForcibly();
            }
        }
        for (ProcessHandle p : trees) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** {@link #stop} and then the pool's state directories (its workers' logs). */
    void delete(WorkerPool pool) {
        if (!host.equals(pool.backendRef().get(LocalBackend.HOST))) {
            return; // its state is on another machine
        }
        stop(pool);
        try (Stream<Path> walk = Files.walk(poolDir(pool))) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new KineticException(
                    pool.batchId(), "could not delete the workers' state " + poolDir(pool) + ": " + e.getMessage(), e);
        }
    }

    /**
     * How an input run by a worker is, from its live directory: EXITED once its outcome is written, RUNNING while its
     * worker lives, EXITED when the worker died; null when the directory is not an input's (a job's own agent).
     */
    static LiveState probeInput(Path state) {
        if (Files.exists(state.resolve(WorkerPool.LIVE_EXITED))) {
            return LiveState.of(LiveState.Phase.EXITED);
        }
        Path worker = state.resolve(WorkerPool.LIVE_WORKER);
        if (!Files.exists(worker)) {
            return null;
        }
        try {
            Optional<ProcessHandle> alive =
                    ProcessIdentity.parse(Files.readString(worker)).running();
            return alive.isPresent()
                    ? new LiveState(LiveState.Phase.RUNNING, null, null, null)
                    : new LiveState(
                            LiveState.Phase.EXITED, "the batch worker running it exited without a result", null, null);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean olderThan(Path p, Duration age) {
        try {
            return Files.getLastModifiedTime(p)
                    .toInstant()
                    .isBefore(java.time.Instant.now().minus(age));
        } catch (IOException e) {
            return false;
        }
    }

    static AgentCommand forWorker(AgentCommand command, WorkerPool pool, int i) {
        return command.withWorkerId(workerId(pool, i));
    }
}
