package dev.kinetic.internal.agent;

import dev.kinetic.Data;
import dev.kinetic.JobStatus;
import dev.kinetic.internal.log.StoreLogWriter;
import dev.kinetic.internal.protocol.EventType;
import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.JobOutcome;
import dev.kinetic.internal.store.Stores;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.store.BlobStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The agent: the process a backend starts for a job (a detached process locally, the container's command on
 * Kubernetes). It downloads and verifies the payload and classpath ({@link ArtifactFetcher}), places the job's data,
 * starts the task JVM with exactly the user's classpath ({@link TaskProcess}), tees its output to its own stdout and
 * the store log, syncs outputs, and always tries to write an outcome ({@link OutcomeDecider}, {@link JobWriter}).
 * SIGTERM is forwarded to the task and the termination recorded.
 *
 * <p>It starts for every job, so its start-up path avoids invokedynamic: anonymous classes instead of lambdas, loops
 * instead of streams with method references, no calls to records' generated methods (the first lambda in a JVM costs
 * tens of milliseconds).
 */
public final class Agent {
    private static final long LOG_FLUSH_MILLIS = 1000;
    private static final long OUTPUT_SYNC_MILLIS = 10_000;
    private static final long TERM_GRACE_MILLIS = 10_000;
    /** Left of the grace period for the JVM to exit after the outcome and outputs are written. */
    private static final long EXIT_MARGIN_MILLIS = 5_000;
    /** Exit code of an attempt stopped by a disruption, whose outcome the next attempt writes. */
    static final int EXIT_ATTEMPT_TERMINATED = 143;

    private final AgentCommand command;
    private final Path workDir;
    private final Path cacheDir;
    private final BlobStore store;
    private final Map<String, String> environment;
    private final JobWriter writer;
    private final StoreLogWriter log;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final ClassArchives archives;
    private final JobLimits limits;
    private volatile TaskProcess task;
    private volatile boolean terminating;
    private volatile Instant taskStartedAt;
    /** Which host of a multi-host job this is (0 for a job of one host). */
    private final int host;
    /** The other hosts of a multi-host job, through the store; null for a job of one host. */
    private final Gang gang;
    /** This task launch's class-data-sharing decision; a dump is finished after the outcome is written. */
    private ClassArchives.Plan archivePlan = ClassArchives.Plan.NONE;

    private String taskClasspath;
    private int taskExit = -1;
    /** After a SIGTERM: how long the task may take to stop, then how long recording and syncing may take. */
    private final long taskStopMillis;

    private final long finishMillis;

    Agent(AgentCommand command, BlobStore store, Map<String, String> environment) {
        if (command.isWorker()) {
            throw new IllegalArgumentException("these are a batch worker's arguments; run them with main class "
                    + command.mainClass() + " (AgentCommand.mainClass())");
        }
        this.command = command;
        this.store = store;
        this.environment = environment;
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"), "kinetic");
        this.workDir = command.workDir() != null
                ? command.workDir()
                : environment.containsKey("KINETIC_WORK_DIR")
                        ? Path.of(environment.get("KINETIC_WORK_DIR"))
                        : tmp.resolve("work").resolve(command.jobId().value());
        this.cacheDir = command.cacheDir() != null
                ? command.cacheDir()
                : environment.containsKey("KINETIC_CACHE_DIR")
                        ? Path.of(environment.get("KINETIC_CACHE_DIR"))
                        : tmp.resolve("cas");
        this.host = Gang.hostIndex(command, environment);
        this.gang = command.hosts() > 1 ? new Gang(store, command.jobId(), host, command.hosts()) : null;
        this.writer = new JobWriter(store, command.jobId(), host, JobWriter.patience(environment));
        this.log = new StoreLogWriter(store, command.jobId(), host);
        this.archives = command.classArchives() == null ? null : new ClassArchives(command.classArchives());
        // Within the pod's grace period, the task gets up to 10 s (a third of short periods) to stop on its SIGTERM,
        // and the agent most of the rest to record the outcome and sync the outputs before the kubelet's SIGKILL.
        long grace = TaskEnvironment.gracePeriodMillis(environment);
        this.taskStopMillis = grace > 0 ? Math.min(TERM_GRACE_MILLIS, grace / 3) : TERM_GRACE_MILLIS;
        this.finishMillis = grace > 0 ? Math.max(1000, grace - taskStopMillis - EXIT_MARGIN_MILLIS) : TERM_GRACE_MILLIS;
        this.limits = JobLimits.of(command, host);
    }

    public static void main(String[] argv) {
        AgentCommand command;
        try {
            command = AgentCommand.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("kinetic agent: " + e.getMessage());
            TerminationMessage.write(System.getenv(), "kinetic agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        BlobStore store;
        try {
            store = Stores.open(URI.create(command.storeUri()), System.getenv());
        } catch (RuntimeException e) {
            System.err.println("kinetic agent: cannot open store " + command.storeUri() + ": " + e.getMessage());
            TerminationMessage.write(
                    System.getenv(), "cannot open store " + command.storeUri() + ": " + e.getMessage());
            System.exit(3);
            return;
        }
        Agent agent;
        try {
            agent = new Agent(command, store, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("kinetic agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread("kinetic-agent-shutdown") {
            @Override
            public void run() {
                agent.onTerminate();
            }
        });
        System.exit(agent.run());
    }

    /** Runs the job to an outcome; returns the agent's exit code (0 success). */
    int run() {
        JobOutcome outcome;
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(new ThreadFactory() {
            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "kinetic-agent-timer");
                t.setDaemon(true);
                return t;
            }
        });
        OutputSync outputs = null;
        try {
            if (!limits.awaitShare()) {
                return finish(limits.stoppedWaiting(writer), null);
            }
            TaskInputs prepared = TaskInputs.prepare(command, store, workDir, cacheDir, host, environment);
            outputs = prepared.outputs;
            startTimers(timers, outputs);
            int exit = runTask(prepared, timers);
            outcome = new OutcomeDecider(writer, limits.time())
                    .decide(exit, prepared.outcomeDir, taskStartedAt, terminating);
        } catch (AgentFailure f) {
            outcome = failure(f.phase, f.getMessage(), null);
            System.err.println("kinetic agent: " + f.getMessage());
        } catch (IOException | RuntimeException e) {
            outcome = failure(FailurePhase.AGENT, "agent error: " + e, null);
            e.printStackTrace();
        } finally {
            timers.shutdownNow();
            limits.ended(); // the next job may start while the outcome is written
        }
        if (gang != null) {
            // Also when this host failed before its task ran (stopped while downloading, because another host failed
            // and the backend stops the whole gang): another host's earlier failure is the job's.
            outcome = gang.decide(outcome, writer, new java.util.function.BooleanSupplier() {
                @Override
                public boolean getAsBoolean() {
                    return terminating;
                }
            });
        }
        return finish(outcome, outputs);
    }

    private void startTimers(ScheduledExecutorService timers, OutputSync outputs) {
        // The futures are not needed: both tasks catch their own failures, and shutdownNow() stops them.
        ScheduledFuture<?> unusedFlush = timers.scheduleWithFixedDelay(
                new Runnable() {
                    @Override
                    public void run() {
                        flushLogQuietly();
                    }
                },
                LOG_FLUSH_MILLIS,
                LOG_FLUSH_MILLIS,
                TimeUnit.MILLISECONDS);
        ScheduledFuture<?> unusedSync = timers.scheduleWithFixedDelay(
                new Runnable() {
                    @Override
                    public void run() {
                        syncQuietly(outputs);
                    }
                },
                OUTPUT_SYNC_MILLIS,
                OUTPUT_SYNC_MILLIS,
                TimeUnit.MILLISECONDS);
        if (gang != null) {
            ScheduledFuture<?> unusedWatch = timers.scheduleWithFixedDelay(
                    new Runnable() {
                        @Override
                        public void run() {
                            gang.watch(task, taskStartedAt);
                        }
                    },
                    Gang.POLL_MILLIS,
                    Gang.POLL_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    private int runTask(TaskInputs p, ScheduledExecutorService timers) throws IOException, AgentFailure {
        taskClasspath = TaskProcess.classpath(p.classpath);
        List<String> jvmArgs = limits.taskJvmArgs(command.jvmArgs());
        if (archives != null) {
            archivePlan = archives.plan(taskClasspath, jvmArgs);
        }
        List<String> cmd = TaskProcess.command(taskClasspath, archivePlan.options(), jvmArgs, p.payload, p.outcomeDir);
        Map<String, String> env = new HashMap<>(p.captured);
        env.put(Data.DATA_DIR_ENV, p.dataDir.toString());
        env.put("KINETIC_JOB_ID", command.jobId().value());
        env.put("KINETIC_OUTPUT_DIR", p.outputDir.toString());
        Gang.addTaskEnvironment(env, command, host, environment);
        TaskEnvironment.prependPath(env, environment);
        synchronized (this) {
            if (terminating) {
                throw new AgentFailure(FailurePhase.AGENT, "terminated before the task started");
            }
            task = TaskProcess.start(cmd, workDir, env, log);
        }
        taskStartedAt = Instant.now();
        limits.started(timers, task, p.outputs);
        writer.event(
                EventType.STARTED,
                Map.of("pid", String.valueOf(task.pid()), "host", AgentInfo.hostName(), "index", String.valueOf(host)));
        try {
            taskExit = task.waitFor();
            return taskExit;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.kill();
            throw new AgentFailure(FailurePhase.AGENT, "agent interrupted");
        }
    }

    /** Syncs outputs and the log, then records the outcome; returns the agent's exit code. */
    private int finish(JobOutcome outcome, OutputSync outputs) {
        if (outputs != null) {
            syncQuietly(outputs);
        }
        closeLogQuietly();
        boolean disrupted = terminating && (gang == null || !gang.peerDecided());
        boolean restart = disrupted || (gang != null && gang.restarting());
        if (restart && command.retries() > 0 && outcome.status() != JobStatus.CANCELLED) {
            // A disruption (preemption, node drain) with retries left: the backend starts another attempt, which
            // writes the outcome. Record only that this attempt was stopped. A multi-host job restarts as a whole:
            // the other hosts see this event and end their attempts too (see Gang).
            writer.event(
                    EventType.ATTEMPT_TERMINATED,
                    outcome.reason() == null ? Map.of() : Map.of("reason", outcome.reason()));
            TerminationMessage.write(environment, "attempt stopped by SIGTERM; the next attempt records the outcome");
            finished.countDown();
            return EXIT_ATTEMPT_TERMINATED;
        }
        boolean recorded = writer.writeOutcome(outcome);
        TerminationMessage.write(environment, lastWords(outcome, recorded));
        if (archives != null && taskClasspath != null) {
            archives.taskEnded(archivePlan, taskClasspath, taskExit); // after the outcome: no result waits for it
        }
        finished.countDown();
        return outcome.status() == JobStatus.SUCCEEDED ? 0 : 1;
    }

    /** The outcome's one-line reason, or why it could not be stored: what status shows when the store has none. */
    private String lastWords(JobOutcome outcome, boolean recorded) {
        if (!recorded) {
            return writer.lastFailure() + " (the job ended "
                    + outcome.status().name().toLowerCase(java.util.Locale.ROOT)
                    + "; the store could not take its outcome)";
        }
        return outcome.status() == JobStatus.SUCCEEDED
                ? "succeeded"
                : outcome.status().name().toLowerCase(java.util.Locale.ROOT)
                        + (outcome.reason() == null ? "" : ": " + outcome.reason());
    }

    private JobOutcome failure(FailurePhase phase, String reason, Integer exit) {
        return JobOutcome.failed(phase, reason)
                .exitCode(exit)
                .startedAt(taskStartedAt)
                .endedAt(Instant.now())
                .build();
    }

    /** Shutdown hook: forward SIGTERM to the task and wait for the outcome to be written. */
    private void onTerminate() {
        if (finished.getCount() == 0) {
            return;
        }
        synchronized (this) {
            terminating = true;
        }
        limits.stop();
        TaskProcess p = task;
        try {
            if (p != null) {
                p.terminate(taskStopMillis);
            }
            finished.await(finishMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stores the log's last bytes and closes its open segment, so a finished job's log is whole segments only. */
    private void closeLogQuietly() {
        try {
            log.close();
        } catch (RuntimeException e) {
            System.err.println("kinetic agent: could not close the log (its chunks stay readable): " + e.getMessage());
            flushLogQuietly();
        }
    }

    private void flushLogQuietly() {
        try {
            log.flush();
        } catch (RuntimeException e) {
            System.err.println("kinetic agent: log flush failed (will retry): " + e.getMessage());
        }
    }

    private static void syncQuietly(OutputSync sync) {
        try {
            sync.sync();
        } catch (IOException | RuntimeException e) {
            System.err.println("kinetic agent: output sync failed (will retry): " + e.getMessage());
        }
    }
}
