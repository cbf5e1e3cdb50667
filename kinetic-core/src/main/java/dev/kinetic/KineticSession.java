package dev.kinetic;

import dev.kinetic.config.Settings;
import dev.kinetic.job.JobRecord;
import dev.kinetic.job.JobService;
import dev.kinetic.store.TransferListener;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

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
    private final JobService service;
    private final dev.kinetic.batch.BatchService batches;

    private KineticSession(JobService service) {
        this.service = service;
        this.batches = new dev.kinetic.batch.BatchService(service);
    }

    public static KineticSession open(Settings settings) {
        return new KineticSession(new JobService(settings, Clock.systemUTC()));
    }

    /** A session with the settings of the environment and the active profile. */
    public static KineticSession fromEnvironment() {
        return open(Settings.fromEnvironment());
    }

    public Settings settings() {
        return service.settings();
    }

    /** Reports upload and download progress (e.g. of a large classpath) to {@code listener}. */
    public KineticSession onTransfer(TransferListener listener) {
        service.transferListener(listener);
        return this;
    }

    /** Reports each step of every submission (after packaging, after the record, after the backend accepted it). */
    public KineticSession onSubmitStep(java.util.function.BiConsumer<SubmitStep, String> listener) {
        service.submitSteps(listener);
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

    /** Reattaches to a job by id. @throws JobNotFoundException if the store does not know it */
    public JobHandle<Object> attach(String id) {
        return service.attach(id, Object.class);
    }

    /** Reattaches to a job by id, checking the result's type when it is read. */
    public <T> JobHandle<T> attach(String id, Class<T> resultType) {
        return service.attach(id, resultType);
    }

    /** Every job in the store, newest first, finished ones included. */
    public List<JobInfo> listJobs() {
        return service.list(r -> true, 0);
    }

    /**
     * Jobs whose labels include all of {@code labels}, newest first, at most {@code limit} (0 for all).
     */
    public List<JobInfo> listJobs(Map<String, String> labels, int limit) {
        Predicate<JobRecord> filter = r -> r.labels().entrySet().containsAll(labels.entrySet());
        return service.list(filter, limit);
    }

    /** Reattaches to a batch by id (from any JVM); see {@link BatchHandle#resume()}. */
    public <R> BatchHandle<R> attachBatch(String id) {
        return batches.attach(id);
    }

    /** The ids of every batch in the store. */
    public List<String> listBatches() {
        return batches.list();
    }

    dev.kinetic.batch.BatchService batches() {
        return batches;
    }

    /** The engine, for Kinetic's own modules (CLI, batches). Not part of the stable API. */
    public JobService service() {
        return service;
    }

    @Override
    public void close() {
        service.close();
    }
}
