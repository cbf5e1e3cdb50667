package dev.kinetic;

import dev.kinetic.internal.batch.BatchService;
import dev.kinetic.internal.engine.Engine;
import dev.kinetic.internal.gc.Collector;
import dev.kinetic.internal.observe.JobLookup;
import dev.kinetic.internal.observe.OutputsById;
import dev.kinetic.internal.protocol.MainInvocation;
import dev.kinetic.internal.submit.Submitter;
import dev.kinetic.spi.config.Settings;
import dev.kinetic.spi.store.TransferListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Kinetic with explicit settings: what {@link Kinetic}'s static methods use with the environment's settings.
 * Use one when settings come from elsewhere (a CLI flag, a test). Close it to release store connections.
 * <pre>{@code
 * Settings settings = new SettingsResolver(System.getenv()).resolve(Map.of("store", "s3://team-bucket/kinetic"));
 * try (KineticSession kinetic = KineticSession.open(settings)) {
 *     kinetic.listJobs().forEach(j -> System.out.println(j.id() + " " + j.status()));
 * }
 * }</pre>
 */
public final class KineticSession implements AutoCloseable {
    private final Engine engine;
    private final JobLookup lookup;
    private final Submitter submitter;
    private final BatchService batches;

    private KineticSession(Engine engine) {
        this.engine = engine;
        this.lookup = new JobLookup(engine);
        this.submitter = new Submitter(engine, lookup);
        this.batches = new BatchService(engine, submitter, lookup);
    }

    /** A session with these settings; close it to release the store and backend clients it opens. */
    public static KineticSession open(Settings settings) {
        return new KineticSession(new Engine(settings, Clock.systemUTC()));
    }

    /**
     * A new session with the settings of the environment and the active profile. The static {@link Kinetic} methods
     * share one such session for the life of the JVM instead; open your own to control when it is closed.
     */
    public static KineticSession fromEnvironment() {
        return open(Settings.fromEnvironment());
    }

    public Settings settings() {
        return engine.settings();
    }

    /** Reports upload and download progress (e.g. of a large classpath) to {@code listener}. */
    public KineticSession onTransfer(TransferListener listener) {
        engine.transferListener(listener);
        return this;
    }

    /** Reports each step of every submission (after packaging, after the record, after the backend accepted it). */
    public KineticSession onSubmitStep(BiConsumer<SubmitStep, String> listener) {
        engine.submitSteps((step, id) -> listener.accept(step, id.value()));
        return this;
    }

    /**
     * Reports each status or reason change that a blocking wait ({@link RemoteJob#call()}, {@link JobHandle#result})
     * sees, starting with the first status it reads. A job that cannot start says why while the caller waits, e.g.
     * PENDING "ImagePullBackOff: cannot pull image ...". Kinetic itself never prints; the {@code kinetic} command
     * prints PENDING reasons on stderr this way.
     * <pre>{@code
     * session.onStatusChange(info -> log.info("{}: {} {}", info.id(), info.status(), info.reasonText().orElse("")));
     * }</pre>
     */
    public KineticSession onStatusChange(Consumer<JobInfo> listener) {
        engine.statusListener(listener);
        return this;
    }

    /** Wraps a function of no arguments; see {@link Kinetic#remote(RemoteCallable)}. */
    public <T> RemoteJob<T> remote(RemoteCallable<T> function) {
        return new RemoteJob<>(this, function, JobOptions.DEFAULTS);
    }

    /** Wraps a function of one argument; see {@link Kinetic#remote(RemoteFunction)}. */
    public <A, R> RemoteFunctionJob<A, R> remote(RemoteFunction<A, R> function) {
        return new RemoteFunctionJob<>(this, function, JobOptions.DEFAULTS);
    }

    /**
     * Wraps a program's {@code main} method: the job runs {@code mainClass} with {@code args}, as {@code kinetic
     * submit} does. Give the program's classpath with {@link JobOptions.Builder#classpath}.
     * <pre>{@code
     * session.remoteMain("com.acme.Train", List.of("--epochs", "3")).with(o -> o.classpath(jars)).runAsync();
     * }</pre>
     */
    public RemoteJob<Void> remoteMain(String mainClass, List<String> args) {
        return new RemoteJob<>(this, new MainInvocation(mainClass, args), JobOptions.DEFAULTS);
    }

    /** Reattaches to a job by id. @throws JobNotFoundException if the store does not know it */
    public JobHandle<Object> attach(String id) {
        return lookup.attach(id, Object.class);
    }

    /** Reattaches to a job by id, checking the result's type when it is read. */
    public <T> JobHandle<T> attach(String id, Class<T> resultType) {
        return lookup.attach(id, resultType);
    }

    /**
     * The files job {@code jobId} wrote under {@code KINETIC_OUTPUT_DIR}, found by its id alone: also after a full
     * cleanup (its record is gone, its outputs stay under {@code outputs/<id>/}). A job whose {@code outputDir} is a
     * custom prefix is found through its record only, so read those while the record exists.
     * <pre>{@code
     * session.outputs("cpu-train-20261128-153012-3f9a1c2").forEach(f -> System.out.println(f.path()));
     * }</pre>
     *
     * @throws JobNotFoundException if the store has neither a record nor outputs of that id
     */
    public List<JobHandle.OutputFile> outputs(String jobId) {
        return new OutputsById(engine.defaultStore(), engine.transferListener()).list(jobId);
    }

    /**
     * Downloads job {@code jobId}'s outputs into {@code directory}, keeping their structure; works after a full
     * cleanup, as {@link #outputs(String)} does.
     *
     * @return the files written
     * @throws JobNotFoundException if the store has neither a record nor outputs of that id
     */
    public List<java.nio.file.Path> downloadOutputs(String jobId, java.nio.file.Path directory) {
        return new OutputsById(engine.defaultStore(), engine.transferListener()).download(jobId, directory);
    }

    /** Every job in the store, newest first, finished ones included. */
    public List<JobInfo> listJobs() {
        return lookup.list(r -> true, 0);
    }

    /**
     * Jobs whose labels include all of {@code labels}, newest first, at most {@code limit} (0 for all).
     */
    public List<JobInfo> listJobs(Map<String, String> labels, int limit) {
        return lookup.list(r -> r.labels().entrySet().containsAll(labels.entrySet()), limit);
    }

    /** Reattaches to a batch by id (from any JVM); see {@link BatchHandle#resume()}. */
    public <R> BatchHandle<R> attachBatch(String id) {
        return batches.attach(id);
    }

    /** The ids of every batch in the store. */
    public List<String> listBatches() {
        return batches.list();
    }

    BatchService batches() {
        return batches;
    }

    Submitter submitter() {
        return submitter;
    }

    /**
     * Deletes finished jobs (and ended batches) older than {@code options.olderThan()}, with their records and
     * artifacts, then the {@code cas/} objects and data trees nothing left references. Safe against submissions
     * running at the same moment (they hold leases; the sweep waits for none to be live). Outputs are deleted only
     * when asked for, and never an output prefix another remaining job shares.
     * <pre>{@code
     * GcReport report = session.gc(GcOptions.builder().olderThan(Duration.ofDays(30)).build());
     * }</pre>
     */
    public GcReport gc(GcOptions options) {
        Collector.Result r = new Collector(engine, lookup)
                .collect(new Collector.Request(
                        options.olderThan(), options.statuses(), options.outputs(), options.dryRun()));
        return new GcReport(
                r.jobs(),
                r.batches(),
                r.casObjects(),
                r.casBytes(),
                r.dataTrees(),
                r.swept(),
                r.note(),
                options.dryRun());
    }

    /**
     * What {@link #gc} collects.
     *
     * @param olderThan jobs that ended longer ago than this (those that never started: created longer ago)
     * @param statuses the final statuses to collect; all three by default
     * @param outputs whether the jobs' outputs go too (never by default)
     * @param dryRun report what would go, delete nothing
     */
    public record GcOptions(Duration olderThan, Set<JobStatus> statuses, boolean outputs, boolean dryRun) {
        public GcOptions {
            if (olderThan == null || olderThan.isNegative()) {
                throw new IllegalArgumentException(
                        "gc needs an age >= 0 (olderThan), got " + olderThan + "; e.g. Duration.ofDays(30)");
            }
            statuses = statuses == null || statuses.isEmpty() ? FINAL : Set.copyOf(statuses);
            for (JobStatus s : statuses) {
                if (!FINAL.contains(s)) {
                    throw new IllegalArgumentException("gc collects finished jobs only: " + s
                            + " is not a final status; use SUCCEEDED, FAILED or CANCELLED");
                }
            }
        }

        private static final Set<JobStatus> FINAL = Set.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);

        public static Builder builder() {
            return new Builder();
        }

        /** Builds {@link GcOptions}; every setter returns this builder. */
        public static final class Builder {
            private Duration olderThan;
            private final Set<JobStatus> statuses = new java.util.HashSet<>();
            private boolean outputs;
            private boolean dryRun;

            private Builder() {}

            public Builder olderThan(Duration age) {
                this.olderThan = age;
                return this;
            }

            /** Collects only jobs that ended with these statuses (repeatable; all final statuses when never called). */
            public Builder status(JobStatus... statuses) {
                this.statuses.addAll(List.of(statuses));
                return this;
            }

            public Builder outputs(boolean deleteOutputs) {
                this.outputs = deleteOutputs;
                return this;
            }

            public Builder dryRun(boolean dryRun) {
                this.dryRun = dryRun;
                return this;
            }

            public GcOptions build() {
                return new GcOptions(olderThan, statuses, outputs, dryRun);
            }
        }
    }

    /**
     * What {@link #gc} deleted (or, dry, would delete).
     *
     * @param jobs the ids of the jobs
     * @param batches the ids of the batches
     * @param casObjects how many {@code cas/} objects (classpath entries, data files and trees)
     * @param casBytes their total size
     * @param dataTrees how many data trees were unmarked (a later submission uploads them again)
     * @param casSwept whether {@code cas/} was swept: not while submissions in flight hold leases
     * @param note why it was not swept, or null
     * @param dryRun whether nothing was deleted
     */
    public record GcReport(
            List<String> jobs,
            List<String> batches,
            int casObjects,
            long casBytes,
            int dataTrees,
            boolean casSwept,
            String note,
            boolean dryRun) {
        public GcReport {
            jobs = List.copyOf(jobs);
            batches = List.copyOf(batches);
        }
    }

    /** Closes the store and backend clients this session opened; its handles cannot be used afterwards. */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * The steps of a submission, reported to {@link KineticSession#onSubmitStep}. After each, a crash of the
     * submitting JVM leaves a state that {@code status} explains: nothing under {@code jobs/} after
     * {@link #PACKAGED}; a record that reads FAILED ("never started") after {@link #RECORDED}; a running job after
     * {@link #STARTED}.
     */
    public enum SubmitStep {
        /** The call is serialized and the classpath is in the store; nothing of the job itself is written yet. */
        PACKAGED,
        /** The record and payload are stored; the backend has not been asked yet. */
        RECORDED,
        /** The backend accepted the job. */
        STARTED
    }
}
