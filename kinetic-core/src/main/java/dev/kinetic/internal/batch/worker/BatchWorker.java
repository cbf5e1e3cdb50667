package dev.kinetic.internal.batch.worker;

import dev.kinetic.Data;
import dev.kinetic.KineticException;
import dev.kinetic.internal.agent.AgentFailure;
import dev.kinetic.internal.agent.AgentInfo;
import dev.kinetic.internal.agent.ArtifactFetcher;
import dev.kinetic.internal.agent.CapturedEnvironment;
import dev.kinetic.internal.agent.ClassArchives;
import dev.kinetic.internal.agent.OutputSync;
import dev.kinetic.internal.agent.TaskEnvironment;
import dev.kinetic.internal.agent.TaskMain;
import dev.kinetic.internal.agent.TaskProcess;
import dev.kinetic.internal.agent.VolumeMounts;
import dev.kinetic.internal.batch.BatchLayout;
import dev.kinetic.internal.batch.BatchManifest;
import dev.kinetic.internal.data.DataMaterializer;
import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.PayloadFile;
import dev.kinetic.internal.store.Stores;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.WorkerPool;
import dev.kinetic.spi.store.BlobStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A batch's worker ({@link AgentCommand#forWorkers}): started by the backend, detached from the JVM that submitted
 * the batch. It holds a lease ({@link WorkerLease}), takes inputs from the {@link WorkQueue} one after another, runs
 * each as a job of its own ({@link InputRun}), and exits when none is left. With {@code Isolation.PER_WORKER} every
 * input runs in one long-lived task JVM, so the function's static state (a loaded model) carries over; with {@code
 * PER_INPUT} each gets a fresh one. SIGTERM stops the current input's task (recorded as cancelled when the batch was
 * cancelled, else as a failed attempt that another worker retries) and gives the lease up.
 *
 * <p>Unlike a job's agent, a worker starts once for many inputs (and reads the manifest with Jackson anyway), so its
 * start-up path may use lambdas: what a worker costs per input is the claim, the record and the call, not a JVM start.
 */
public final class BatchWorker {
    final AgentCommand command;
    final BlobStore store;
    final BatchManifest manifest;
    final WorkerPool pool;
    final String id;
    final Path workDir;
    final Path outputDir;
    final Path outcomeDir;
    final WorkerLease lease;
    volatile InputRun current;
    volatile boolean terminating;
    /** After a SIGTERM: how long the input's task may take to stop, within the pod's grace period as an agent's. */
    final long taskStopMillis;
    /** After a SIGTERM: how long the worker waits for the input's outcome and the lease's release before it exits. */
    private final long stopMillis;

    private final Map<String, String> environment;
    private final Path cacheDir;
    private final Path dataDir;
    private final ClassArchives archives;
    private final CountDownLatch finished = new CountDownLatch(1);
    private String taskClasspath;
    private TaskJvm loop;
    private WorkQueue queue;

    BatchWorker(AgentCommand command, BlobStore store, Map<String, String> environment) {
        this.command = command;
        this.store = store;
        this.environment = environment;
        String batch = command.batchId();
        this.manifest = BatchManifest.fromJson(
                store.get(BatchLayout.manifest(batch))
                        .orElseThrow(
                                () -> new KineticException(batch, "no batch " + batch + " in " + store.uri(), null)),
                BatchLayout.manifest(batch));
        this.pool = WorkerPool.fromJson(
                store.get(BatchLayout.pool(batch))
                        .orElseThrow(() -> new KineticException(batch, "batch " + batch + " has no workers", null)),
                BatchLayout.pool(batch));
        this.id = command.workerId() != null
                ? command.workerId()
                : environment.getOrDefault(
                        AgentCommand.WORKER_ID_ENV,
                        "w-" + ProcessHandle.current().pid());
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"), "kinetic");
        this.workDir = command.workDir() != null
                ? command.workDir()
                : environment.containsKey("KINETIC_WORK_DIR")
                        ? Path.of(environment.get("KINETIC_WORK_DIR"))
                        : tmp.resolve("work").resolve(id);
        this.cacheDir = command.cacheDir() != null
                ? command.cacheDir()
                : environment.containsKey("KINETIC_CACHE_DIR")
                        ? Path.of(environment.get("KINETIC_CACHE_DIR"))
                        : tmp.resolve("cas");
        this.dataDir = cacheDir.resolveSibling("data");
        this.outputDir = workDir.resolve("outputs");
        this.outcomeDir = workDir.resolve("outcome");
        this.archives = command.classArchives() == null ? null : new ClassArchives(command.classArchives());
        this.lease = new WorkerLease(store, batch, id, AgentInfo.hostName());
        long grace = TaskEnvironment.gracePeriodMillis(environment);
        this.taskStopMillis = grace > 0 ? Math.min(10_000, grace / 3) : 10_000;
        this.stopMillis = grace > 0 ? Math.max(1000, grace - 5000) : 15_000;
    }

    public static void main(String[] argv) {
        BatchWorker worker;
        try {
            AgentCommand command = AgentCommand.parse(argv);
            if (!command.isWorker()) {
                throw new IllegalArgumentException(
                        "not a worker's command (no --batch): run it with " + AgentCommand.MAIN_CLASS);
            }
            BlobStore store = Stores.open(URI.create(command.storeUri()), System.getenv());
            worker = new BatchWorker(command, store, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("kinetic worker: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            System.err.println("kinetic worker: cannot start: " + e.getMessage());
            System.exit(3);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread("kinetic-worker-shutdown") {
            @Override
            public void run() {
                worker.onTerminate();
            }
        });
        System.exit(worker.run());
    }

    /** Takes and runs inputs until none is left; returns the exit code (0: the batch needs this worker no more). */
    int run() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kinetic-worker-timer");
            t.setDaemon(true);
            return t;
        });
        lease.renew();
        int[] ticks = {0};
        var unusedTicks = timer.scheduleWithFixedDelay(
                () -> {
                    InputRun r = current;
                    if (r != null) {
                        r.tick();
                    }
                    if (++ticks[0] % dev.kinetic.internal.batch.WorkerBeat.RENEW.toSeconds() == 0) {
                        lease.renew();
                    }
                },
                1,
                1,
                TimeUnit.SECONDS);
        try {
            Files.createDirectories(workDir);
            fetchClasspath();
            queue = new WorkQueue(store, manifest, pool, id);
            System.err.println("kinetic worker " + id + ": working on batch " + manifest.id() + " (" + manifest.size()
                    + " inputs, isolation " + manifest.batchOptions().isolation() + ")");
            while (!terminating) {
                WorkQueue.Taken taken = queue.next();
                if (taken == null) {
                    break;
                }
                new InputRun(this, taken).run();
            }
            return terminating ? 143 : 0;
        } catch (AgentFailure | IOException | RuntimeException e) {
            System.err.println("kinetic worker " + id + ": stopped: " + e.getMessage());
            e.printStackTrace();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            closeLoop();
            timer.shutdownNow();
            lease.exit();
            finished.countDown();
        }
    }

    private void fetchClasspath() throws AgentFailure {
        ArtifactFetcher fetcher = new ArtifactFetcher(store, cacheDir);
        List<Path> entries = new ArrayList<>();
        for (String sha : command.classpathSha256()) {
            entries.add(fetcher.classpathEntry(sha));
        }
        taskClasspath = TaskProcess.classpath(entries);
    }

    /**
     * The long-lived task JVM ({@code Isolation.PER_WORKER}), started on first use and again after it died.
     *
     * @param captured the batch's captured environment values (every input of a batch captures the same names)
     */
    TaskJvm loopTask(Map<String, String> captured) throws IOException {
        if (loop != null && loop.isAlive()) {
            return loop;
        }
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        ClassArchives.Plan plan = plan();
        List<String> cmd =
                TaskProcess.command(taskClasspath, plan.options(), command.jvmArgs(), List.of("--loop", token));
        loop = TaskJvm.start(cmd, workDir, taskEnvironment(captured, null), token, OutputSink.WORKER, plan);
        return loop;
    }

    /** A task JVM for one input ({@code Isolation.PER_INPUT}), as a single job's. */
    TaskJvm startTask(Map<String, String> captured, JobId job, OutputSink sink) throws IOException {
        ClassArchives.Plan plan = plan();
        List<String> args = List.of(workDir.resolve("payload.bin").toString(), outcomeDir.toString());
        List<String> cmd = TaskProcess.command(taskClasspath, plan.options(), command.jvmArgs(), args);
        return TaskJvm.start(cmd, workDir, taskEnvironment(captured, job), null, sink, plan);
    }

    /** After a call: a JVM that has exited finishes its class archive, and a dead loop JVM is replaced next time. */
    void taskEnded(TaskJvm jvm) {
        if (jvm.isAlive()) {
            return;
        }
        finishArchive(jvm);
        if (jvm == loop) {
            loop = null;
        }
    }

    private void closeLoop() {
        if (loop == null) {
            return;
        }
        try {
            loop.close();
            finishArchive(loop);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop = null;
    }

    private void finishArchive(TaskJvm jvm) {
        if (archives == null || jvm.archive() == null) {
            return;
        }
        try {
            int exit = jvm.awaitExit();
            archives.finish(jvm.archive(), taskClasspath, exit == 0 || exit == TaskMain.EXIT_FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ClassArchives.Plan plan() {
        return archives == null ? ClassArchives.Plan.NONE : archives.plan(taskClasspath, command.jvmArgs());
    }

    /**
     * The task's environment: the captured variables, the data and output directories, the batch and worker, the
     * backend's {@code PATH} prefix (GPU pods); and, for a JVM of one input, its job id (a loop JVM reads the current
     * one from the system property {@code kinetic.job.id}: a running JVM's environment cannot change).
     */
    private Map<String, String> taskEnvironment(Map<String, String> captured, JobId job) {
        Map<String, String> env = new HashMap<>(captured);
        env.put(Data.DATA_DIR_ENV, dataDir.toString());
        env.put("KINETIC_OUTPUT_DIR", outputDir.toString());
        env.put("KINETIC_BATCH_ID", manifest.id());
        env.put(AgentCommand.WORKER_ID_ENV, id);
        if (job != null) {
            env.put("KINETIC_JOB_ID", job.value());
        }
        TaskEnvironment.prependPath(env, environment);
        return env;
    }

    /**
     * The values of the variables the input's payload names as captured: the backend put them in this worker's
     * environment (the local worker process's, or a Kubernetes Secret the worker pod reads); they are never stored.
     *
     * @throws AgentFailure naming the variables that did not reach this worker
     */
    Map<String, String> captured(PayloadFile.Header header) throws AgentFailure {
        return CapturedEnvironment.resolve(header, environment);
    }

    /** Places the input's data and volumes (data already placed for an earlier input is reused). */
    void placeData(PayloadFile.Header header) throws IOException, AgentFailure {
        if (!header.data().isEmpty()) {
            DataMaterializer data = new DataMaterializer(store, dataDir, environment);
            for (PayloadFile.DataRef ref : header.data()) {
                try {
                    data.materialize(ref);
                } catch (DataMaterializer.DataException e) {
                    throw new AgentFailure(FailurePhase.DATA, e.getMessage());
                }
            }
        }
        VolumeMounts.mount(header.volumes(), dataDir);
    }

    /** Empties the output directory and restores what the input's output prefix already holds. */
    OutputSync restoreOutputs(PayloadFile.Header header, JobId job) throws IOException, AgentFailure {
        clear(outputDir);
        String prefix = header.outputPrefix() != null ? header.outputPrefix() : JobLayout.outputs(job);
        OutputSync sync = new OutputSync(outputDir, store, prefix);
        try {
            sync.restore();
        } catch (IOException | RuntimeException e) {
            throw new AgentFailure(
                    FailurePhase.DOWNLOAD, "cannot restore earlier outputs from " + prefix + ": " + e, e);
        }
        return sync;
    }

    void clear(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(dir)) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.createDirectories(dir);
    }

    void syncQuietly(OutputSync sync) {
        try {
            sync.sync();
        } catch (IOException | RuntimeException e) {
            System.err.println("kinetic worker: output sync failed (will retry): " + e.getMessage());
        }
    }

    /** Shutdown hook (SIGTERM): stop the current input's task and wait for its outcome and the lease's release. */
    private void onTerminate() {
        if (finished.getCount() == 0) {
            return;
        }
        terminating = true;
        if (queue != null) {
            queue.stop();
        }
        InputRun r = current;
        if (r != null) {
            r.terminate();
        }
        try {
            finished.await(stopMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
