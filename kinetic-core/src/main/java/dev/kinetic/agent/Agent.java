package dev.kinetic.agent;

import dev.kinetic.JobStatus;
import dev.kinetic.job.Hashing;
import dev.kinetic.job.JobEvent;
import dev.kinetic.job.JobLayout;
import dev.kinetic.job.JobOutcome;
import dev.kinetic.job.PayloadFile;
import dev.kinetic.log.StoreLogWriter;
import dev.kinetic.store.BlobNotFoundException;
import dev.kinetic.store.BlobStore;
import dev.kinetic.store.BlobStores;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The agent: the process a backend starts for a job (a detached process locally, the container's command on
 * Kubernetes). It downloads and verifies the payload and classpath, starts the task JVM with exactly the
 * user's classpath, tees its output to its own stdout and the store log, syncs outputs, and always tries to
 * write an outcome. SIGTERM is forwarded to the task and the termination recorded.
 *
 * <p>It starts for every job, so its start-up path avoids invokedynamic: anonymous classes instead of lambdas,
 * loops instead of streams with method references (the first lambda in a JVM costs tens of milliseconds).
 */
public final class Agent {
    private static final long LOG_FLUSH_MILLIS = 1000;
    private static final long OUTPUT_SYNC_MILLIS = 10_000;
    private static final long TERM_GRACE_MILLIS = 10_000;
    /** How long the agent keeps trying to store a finished job's result and outcome. */
    static final java.time.Duration STORE_PATIENCE = java.time.Duration.ofSeconds(60);

    private final AgentArgs args;
    private final BlobStore store;
    private final Map<String, String> environment;
    private final StoreLogWriter log;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Process task;
    private volatile boolean terminating;
    private Instant taskStartedAt;
    /** This task launch's class-data-sharing decision; a dump is finished after the outcome is written. */
    private final ClassArchives archives;
    private ClassArchives.Plan archivePlan = ClassArchives.Plan.NONE;
    private String taskClasspath;
    private int taskExit = -1;

    Agent(AgentArgs args, BlobStore store, Map<String, String> environment) {
        this.args = args;
        this.store = store;
        this.environment = environment;
        this.log = new StoreLogWriter(store, args.jobId());
        this.archives = args.classArchives() == null ? null : new ClassArchives(args.classArchives());
    }

    public static void main(String[] argv) {
        AgentArgs args;
        try {
            args = AgentArgs.parse(argv, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("kinetic agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        BlobStore store;
        try {
            store = BlobStores.open(URI.create(args.store()), System.getenv());
        } catch (RuntimeException e) {
            System.err.println("kinetic agent: cannot open store " + args.store() + ": " + e.getMessage());
            System.exit(3);
            return;
        }
        Agent agent = new Agent(args, store, System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread("kinetic-agent-shutdown") {
            @Override
            public void run() {
                agent.onTerminate();
            }
        });
        int code = agent.run();
        System.exit(code);
    }

    /** Runs the job to an outcome; returns the agent's exit code (0 success). */
    int run() {
        JobOutcome outcome;
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(new java.util.concurrent.ThreadFactory() {
            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "kinetic-agent-timer");
                t.setDaemon(true);
                return t;
            }
        });
        OutputSync outputs = null;
        try {
            Files.createDirectories(args.workDir());
            Path payload = fetchVerified(JobLayout.payload(args.jobId()), args.payloadSha(), args.workDir().resolve("payload.bin"), "payload");
            List<Path> classpath = new ArrayList<>();
            for (String sha : args.classpathShas()) {
                classpath.add(cached(sha));
            }
            PayloadFile.Header header;
            try (InputStream in = Files.newInputStream(payload)) {
                header = PayloadFile.readHeader(in);
            } catch (IOException e) {
                throw new AgentFailure("deserialize", "payload header unreadable: " + e.getMessage(), e);
            }
            Path dataDir = args.cacheDir().resolveSibling("data");
            if (!header.data().isEmpty()) {
                dev.kinetic.data.DataMaterializer data = new dev.kinetic.data.DataMaterializer(store, dataDir, environment);
                for (PayloadFile.DataRef ref : header.data()) {
                    try {
                        data.materialize(ref);
                    } catch (dev.kinetic.data.DataMaterializer.DataException e) {
                        throw new AgentFailure("data", e.getMessage());
                    }
                }
            }
            Path outputDir = args.workDir().resolve("outputs");
            Files.createDirectories(outputDir);
            String outputPrefix = header.outputPrefix() != null ? header.outputPrefix() : JobLayout.outputs(args.jobId());
            outputs = new OutputSync(outputDir, store, outputPrefix);
            try {
                outputs.restore();
            } catch (IOException | RuntimeException e) {
                throw new AgentFailure("download", "cannot restore earlier outputs from " + outputPrefix + ": " + e, e);
            }
            mountVolumes(header.volumes(), dataDir);
            Path outcomeDir = args.workDir().resolve("outcome");
            Files.createDirectories(outcomeDir);

            timers.scheduleWithFixedDelay(new Runnable() {
                @Override
                public void run() {
                    flushLogQuietly();
                }
            }, LOG_FLUSH_MILLIS, LOG_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
            OutputSync sync = outputs;
            timers.scheduleWithFixedDelay(new Runnable() {
                @Override
                public void run() {
                    syncQuietly(sync);
                }
            }, OUTPUT_SYNC_MILLIS, OUTPUT_SYNC_MILLIS, TimeUnit.MILLISECONDS);

            Map<String, String> taskEnv = new java.util.HashMap<>(header.environment());
            taskEnv.put(dev.kinetic.Data.DATA_DIR_ENV, dataDir.toString());
            int exit = runTask(classpath, payload, outcomeDir, outputDir, taskEnv);
            outcome = decide(exit, outcomeDir);
        } catch (AgentFailure f) {
            outcome = failure(f.phase, f.getMessage(), null);
            System.err.println("kinetic agent: " + f.getMessage());
        } catch (IOException | RuntimeException e) {
            outcome = failure("agent", "agent error: " + e, null);
            e.printStackTrace();
        } finally {
            timers.shutdownNow();
        }
        if (outputs != null) {
            syncQuietly(outputs);
        }
        flushLogQuietly();
        if (terminating && args.retries() > 0 && outcome.status() != JobStatus.CANCELLED) {
            // A disruption (preemption, node drain) with retries left: the backend starts another attempt,
            // which writes the outcome. Record only that this attempt was stopped.
            event("attempt-terminated", outcome.reason() == null ? Map.of() : Map.of("reason", outcome.reason()));
            finished.countDown();
            return 143;
        }
        writeOutcome(outcome);
        finishArchive();
        finished.countDown();
        return outcome.status() == JobStatus.SUCCEEDED ? 0 : 1;
    }

    /**
     * After the outcome is written (so a first job's result does not wait for it): keeps the task's class archive
     * if it dumped one, and drops the archive it mapped if the JVM crashed (134), in case that was the cause.
     */
    private void finishArchive() {
        if (archives == null || taskClasspath == null) {
            return;
        }
        archives.finish(archivePlan, taskClasspath, taskExit == 0 || taskExit == TaskMain.EXIT_FAILED);
        if (taskExit == 134 && archivePlan.archive() != null) {
            try {
                Files.deleteIfExists(archivePlan.archive());
            } catch (IOException e) {
                System.err.println("kinetic agent: could not remove class archive " + archivePlan.archive() + ": " + e);
            }
        }
    }

    private int runTask(List<Path> classpath, Path payload, Path outcomeDir, Path outputDir, Map<String, String> capturedEnv)
            throws IOException, AgentFailure {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> entries = new ArrayList<>();
        for (Path p : classpath) {
            entries.add(p.toString());
        }
        entries.add(runtimeLocation()); // TaskMain; the user's own copy of Kinetic, if any, comes first
        taskClasspath = String.join(File.pathSeparator, entries);
        if (archives != null) {
            archivePlan = archives.plan(taskClasspath, args.jvmArgs());
            command.addAll(archivePlan.options()); // before the user's options, which may override them
        }
        command.addAll(args.jvmArgs());
        command.add("-cp");
        command.add(taskClasspath);
        command.add(TaskMain.class.getName());
        command.add(payload.toString());
        command.add(outcomeDir.toString());

        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(args.workDir().toFile());
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(capturedEnv);
        builder.environment().put("KINETIC_JOB_ID", args.jobId());
        builder.environment().put("KINETIC_OUTPUT_DIR", outputDir.toString());
        synchronized (this) {
            if (terminating) {
                throw new AgentFailure("agent", "terminated before the task started");
            }
            task = builder.start();
        }
        taskStartedAt = Instant.now();
        event(JobEvent.STARTED, Map.of("pid", String.valueOf(task.pid()), "host", hostName()));
        InputStream output = task.getInputStream();
        Thread pump = new Thread("kinetic-agent-output") {
            @Override
            public void run() {
                pump(output);
            }
        };
        pump.start();
        try {
            int exit = task.waitFor();
            pump.join();
            taskExit = exit;
            return exit;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.destroyForcibly();
            throw new AgentFailure("agent", "agent interrupted");
        }
    }

    /** Tees the task's output to our stdout (the live log) and the store log. */
    private void pump(InputStream in) {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                out.flush();
                log.write(buffer, 0, n);
            }
        } catch (IOException e) {
            System.err.println("kinetic agent: output pump stopped: " + e);
        }
    }

    private JobOutcome decide(int exit, Path outcomeDir) throws IOException {
        Path value = outcomeDir.resolve(TaskMain.VALUE);
        Path failure = outcomeDir.resolve(TaskMain.FAILURE);
        if (exit == 0) {
            byte[] bytes = Files.exists(value) ? Files.readAllBytes(value) : serializedNull();
            return stored(new JobOutcome(JobStatus.SUCCEEDED, null, null, null, null, null, null, 0, taskStartedAt,
                    Instant.now(), null, 0), bytes);
        }
        if (terminating && cancelRequested()) {
            return new JobOutcome(JobStatus.CANCELLED, null, "cancelled by request", null, null, null, null, exit,
                    taskStartedAt, Instant.now(), null, 0);
        }
        if (exit == TaskMain.EXIT_FAILED && Files.exists(failure)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(failure)) {
                p.load(in);
            }
            String type = p.getProperty("type");
            String message = p.getProperty("message");
            List<JobOutcome.Frame> frames = new ArrayList<>();
            for (int i = 0; p.containsKey("frame." + i); i++) {
                String[] f = p.getProperty("frame." + i).split("\\|", -1);
                frames.add(new JobOutcome.Frame(f[0], f[1], f[2].isEmpty() ? null : f[2], Integer.parseInt(f[3])));
            }
            JobOutcome outcome = new JobOutcome(JobStatus.FAILED, p.getProperty("phase"),
                    type + (message == null ? "" : ": " + message), type, message, p.getProperty("trace"), frames, exit,
                    taskStartedAt, Instant.now(), null, 0);
            Path object = outcomeDir.resolve(TaskMain.FAILURE_OBJECT);
            return Files.exists(object) ? stored(outcome, Files.readAllBytes(object)) : outcome;
        }
        String reason;
        if (exit > 128 && exit < 160) {
            int signal = exit - 128;
            reason = "killed by signal " + signal + (signal == 9 ? " (SIGKILL: out of memory, or killed by someone)"
                    : signal == 15 ? " (SIGTERM)" : "");
        } else {
            reason = "task exited with code " + exit + " (System.exit or a JVM crash)";
        }
        if (terminating) {
            reason = "agent terminated (SIGTERM); task " + reason;
        }
        return failure("execute", reason, exit);
    }

    /** Makes each volume appear at its mount path: a symlink to the verified, read-only copy of its data. */
    private static void mountVolumes(Map<String, String> volumes, Path dataDir) throws AgentFailure {
        for (var v : volumes.entrySet()) {
            Path mount = Path.of(v.getKey());
            Path target = dataDir.resolve(v.getValue());
            try {
                if (Files.isSymbolicLink(mount)) {
                    if (Files.readSymbolicLink(mount).equals(target)) {
                        continue;
                    }
                    if (Files.readSymbolicLink(mount).startsWith(dataDir)) {
                        Files.delete(mount); // an earlier job's volume: ours replaces it
                    }
                }
                if (Files.exists(mount, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new AgentFailure("data", "volume mount path " + mount + " already exists and is not a "
                            + "Kinetic volume; choose another mount path");
                }
                Files.createDirectories(mount.toAbsolutePath().getParent());
                Files.createSymbolicLink(mount, target);
            } catch (IOException e) {
                throw new AgentFailure("data", "cannot mount volume at " + mount + ": " + e, e);
            }
        }
    }

    private JobOutcome failure(String phase, String reason, Integer exit) {
        return new JobOutcome(JobStatus.FAILED, phase, reason, null, null, null, null, exit, taskStartedAt, Instant.now(),
                null, 0);
    }

    /** Stores the bytes as result.bin and returns the outcome with their hash. */
    private JobOutcome stored(JobOutcome o, byte[] bytes) {
        if (!putPersistently(JobLayout.resultData(args.jobId()), bytes, "the result")) {
            throw new dev.kinetic.store.StoreException("could not write the result to " + store.uri()
                    + " for " + STORE_PATIENCE.toSeconds() + " s; see the agent log");
        }
        return new JobOutcome(o.status(), o.phase(), o.reason(), o.exceptionType(), o.exceptionMessage(),
                o.remoteStackTrace(), o.frames(), o.exitCode(), o.startedAt(), o.endedAt(), Hashing.sha256(bytes),
                bytes.length);
    }

    private void writeOutcome(JobOutcome outcome) {
        if (putPersistently(JobLayout.resultMeta(args.jobId()), outcome.toJson(), "the outcome")) {
            JobEvent end = new JobEvent(JobEvent.ENDED + "-" + outcome.status().name().toLowerCase(java.util.Locale.ROOT),
                    Instant.now(), outcome.reason() == null ? Map.of() : Map.of("reason", outcome.reason()));
            putPersistently(eventKey(end), end.toJson(), "the end event");
        }
    }

    /**
     * Writes what the job produced, riding out a store outage of up to {@link #STORE_PATIENCE}: the work is done
     * and must not be lost to a blip. Each failure goes to the agent log; the last one is what status shows if
     * all attempts fail.
     */
    private boolean putPersistently(String key, byte[] bytes, String what) {
        long deadline = System.nanoTime() + STORE_PATIENCE.toNanos();
        long pause = 250;
        for (int attempt = 1; ; attempt++) {
            try {
                store.put(key, bytes);
                return true;
            } catch (RuntimeException e) {
                boolean last = System.nanoTime() + pause * 1_000_000 > deadline;
                System.err.println("kinetic agent: could not write " + what + " to " + store.uri() + " (attempt "
                        + attempt + (last ? ", giving up" : ", will retry") + "): " + e.getMessage());
                if (last) {
                    return false;
                }
                sleepQuietly(pause);
                pause = Math.min(pause * 2, 8000);
            }
        }
    }

    /** Downloads {@code key} to {@code target}, verifying its SHA-256 before anything uses it. */
    private Path fetchVerified(String key, String expectedSha, Path target, String what) throws AgentFailure {
        Path tmp = target.resolveSibling(target.getFileName() + ".part-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(target.getParent());
            String actual;
            try (InputStream in = store.open(key)) {
                actual = Hashing.copy(in, tmp);
            }
            if (!actual.equals(expectedSha)) {
                Files.deleteIfExists(tmp);
                throw new AgentFailure("verify", what + " " + key + " in " + store.uri() + " is corrupt: expected sha256 "
                        + expectedSha + " but it hashes to " + actual + "; nothing was deserialized");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (BlobNotFoundException e) {
            throw new AgentFailure("download", what + " " + key + " (sha256 " + expectedSha + ") is missing from "
                    + store.uri(), e);
        } catch (IOException | RuntimeException e) {
            throw new AgentFailure("download", "cannot download " + what + " " + key + " from " + store.uri() + ": " + e, e);
        }
    }

    /** A verified local copy of a classpath entry; entries in the cache were verified when they were placed. */
    private Path cached(String sha) throws AgentFailure {
        Path target = args.cacheDir().resolve(sha);
        if (Files.exists(target)) {
            return target;
        }
        return fetchVerified(JobLayout.cas(sha), sha, target, "classpath entry");
    }

    private boolean cancelRequested() {
        try {
            for (dev.kinetic.store.BlobInfo b : store.list(JobLayout.eventPrefix(args.jobId()))) {
                if (JobEvent.CANCEL_REQUESTED.equals(JobEvent.typeOf(b.key()))) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Shutdown hook: forward SIGTERM to the task and wait for the outcome to be written. */
    private void onTerminate() {
        if (finished.getCount() == 0) {
            return;
        }
        synchronized (this) {
            terminating = true;
        }
        Process p = task;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(TERM_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            finished.await(TERM_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void event(String type, Map<String, String> details) {
        JobEvent e = new JobEvent(type, Instant.now(), details);
        store.put(eventKey(e), e.toJson());
    }

    private String eventKey(JobEvent e) {
        return JobLayout.event(args.jobId(), e.at().toEpochMilli(), e.type());
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

    private static byte[] serializedNull() throws IOException {
        return TaskMain.serialize(null);
    }

    private static String runtimeLocation() {
        try {
            return Path.of(TaskMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate Kinetic's own classes", e);
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
