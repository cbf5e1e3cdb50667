package dev.kinetic;

import dev.kinetic.internal.observe.LogStreaming;
import dev.kinetic.internal.protocol.CallPayload;
import java.util.function.UnaryOperator;

/**
 * A function of no arguments with its job options. Immutable: each option method returns a new instance.
 * <pre>{@code
 * RemoteJob<Double> train = Kinetic.remote(() -> Trainer.train(0.001)).accelerator("l4").label("team", "nlp");
 * JobHandle<Double> job = train.runAsync();
 * }</pre>
 */
public final class RemoteJob<T> {
    private final KineticSession session;
    private final RemoteCallable<T> function;
    private final JobOptions options;

    RemoteJob(KineticSession session, RemoteCallable<T> function, JobOptions options) {
        this.session = session;
        this.function = java.util.Objects.requireNonNull(function, "function");
        this.options = options;
    }

    public JobOptions options() {
        return options;
    }

    /** These options replaced. */
    public RemoteJob<T> options(JobOptions options) {
        return new RemoteJob<>(session, function, options);
    }

    /** The options changed by {@code change}. */
    public RemoteJob<T> with(UnaryOperator<JobOptions.Builder> change) {
        return options(change.apply(options.toBuilder()).build());
    }

    public RemoteJob<T> accelerator(String accelerator) {
        return with(b -> b.accelerator(accelerator));
    }

    public RemoteJob<T> backend(String backend) {
        return with(b -> b.backend(backend));
    }

    public RemoteJob<T> store(String storeUri) {
        return with(b -> b.store(storeUri));
    }

    public RemoteJob<T> captureEnv(String... namesOrPatterns) {
        return with(b -> b.captureEnv(namesOrPatterns));
    }

    public RemoteJob<T> outputDir(String storePrefix) {
        return with(b -> b.outputDir(storePrefix));
    }

    public RemoteJob<T> label(String key, String value) {
        return with(b -> b.label(key, value));
    }

    /** Makes {@code data} appear, read-only, at the absolute {@code mountPath} in the task. */
    public RemoteJob<T> volume(String mountPath, Data data) {
        return with(b -> b.volume(mountPath, data));
    }

    /**
     * Makes the submission idempotent: every submission with the same key to the same store returns the same job,
     * from this JVM or another, even after the job ended, as long as its record exists. Only one job ever runs. A
     * retried CI step therefore never starts a second training run.
     *
     * @param key 1 to 128 letters, digits, '.', '_' or '-', e.g. {@code ci-run-4711}
     */
    public RemoteJob<T> idempotencyKey(String key) {
        return with(b -> b.idempotencyKey(key));
    }

    /**
     * Runs the function on {@code n} hosts together, each with the accelerator's shape: n local processes, n pods on
     * Kubernetes. Multi-host TPU slices ({@code tpu-v5e-16}: 4 hosts) need no call; a count that disagrees with the
     * slice is an error. Every host gets {@code KINETIC_HOST_INDEX} (0..n-1), {@code KINETIC_HOST_COUNT},
     * {@code KINETIC_COORDINATOR_ADDRESS} (host 0's {@code host:port}) and {@code KINETIC_HOSTS}; the job's result is
     * host 0's value, and it fails (stopping the others) as soon as any host fails.
     * <pre>{@code
     * int sum = Kinetic.remote(() -> Allreduce.run()).hosts(4).call();
     * }</pre>
     */
    public RemoteJob<T> hosts(int n) {
        return with(b -> b.hosts(n));
    }

    /**
     * Limits how long the job may run, counted from when it starts running (not from submission): when the limit runs
     * out its outputs are synced, its whole process tree is stopped, and it ends FAILED with the reason "timed out
     * after PT…", on the local backend as on Kubernetes (where it also becomes the Job's {@code activeDeadlineSeconds}).
     * This differs from {@link JobHandle#result(java.time.Duration)}, which only stops waiting.
     * <pre>{@code
     * Kinetic.remote(() -> Trainer.train()).timeout(Duration.ofHours(2)).runAsync();
     * }</pre>
     */
    public RemoteJob<T> timeout(java.time.Duration limit) {
        return with(b -> b.timeout(limit));
    }

    public RemoteJob<T> displayName(String name) {
        return with(b -> b.displayName(name));
    }

    /**
     * Runs the function as a job and waits for it, streaming its log to standard output.
     *
     * @throws JobFailedException if the function threw; its cause is the original exception
     */
    public T call() {
        return LogStreaming.callAndStream(runAsync());
    }

    /**
     * What {@link #runAsync()} would create on the backend, without creating it: for the Kubernetes backend its Job
     * (and any Service), each as its JSON form, with settings, image and accelerator resolved as for a real submit.
     * Nothing is written to the store, built or created; an image that would be built shows as the reference it
     * would get.
     *
     * @throws KineticException when the backend creates no such objects (the local backend), or when a real submit
     *     would be refused
     */
    public java.util.List<java.util.Map<String, Object>> dryRun() {
        return session.submitter().dryRun(CallPayload.of(function), options);
    }

    /** Submits the job and returns at once; the job runs on without this JVM. */
    public JobHandle<T> runAsync() {
        @SuppressWarnings("unchecked")
        Class<T> any = (Class<T>) Object.class;
        return session.submitter().submit(CallPayload.of(function), options, any);
    }
}
