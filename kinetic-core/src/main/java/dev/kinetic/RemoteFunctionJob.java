package dev.kinetic;

import dev.kinetic.internal.observe.LogStreaming;
import dev.kinetic.internal.protocol.CallPayload;
import java.util.function.UnaryOperator;

/**
 * A function of one argument with its job options. Immutable: each option method returns a new instance.
 * <pre>{@code
 * var train = Kinetic.remote((Double lr) -> Trainer.train(lr)).accelerator("tpu-v5e-1");
 * JobHandle<Double> job = train.runAsync(0.001);
 * }</pre>
 */
public final class RemoteFunctionJob<A, R> {
    private final KineticSession session;
    private final RemoteFunction<A, R> function;
    private final JobOptions options;

    RemoteFunctionJob(KineticSession session, RemoteFunction<A, R> function, JobOptions options) {
        this.session = session;
        this.function = java.util.Objects.requireNonNull(function, "function");
        this.options = options;
    }

    public JobOptions options() {
        return options;
    }

    public RemoteFunctionJob<A, R> options(JobOptions options) {
        return new RemoteFunctionJob<>(session, function, options);
    }

    public RemoteFunctionJob<A, R> with(UnaryOperator<JobOptions.Builder> change) {
        return options(change.apply(options.toBuilder()).build());
    }

    public RemoteFunctionJob<A, R> accelerator(String accelerator) {
        return with(b -> b.accelerator(accelerator));
    }

    public RemoteFunctionJob<A, R> backend(String backend) {
        return with(b -> b.backend(backend));
    }

    public RemoteFunctionJob<A, R> store(String storeUri) {
        return with(b -> b.store(storeUri));
    }

    public RemoteFunctionJob<A, R> captureEnv(String... namesOrPatterns) {
        return with(b -> b.captureEnv(namesOrPatterns));
    }

    public RemoteFunctionJob<A, R> outputDir(String storePrefix) {
        return with(b -> b.outputDir(storePrefix));
    }

    public RemoteFunctionJob<A, R> label(String key, String value) {
        return with(b -> b.label(key, value));
    }

    /** Makes {@code data} appear, read-only, at the absolute {@code mountPath} in the task. */
    public RemoteFunctionJob<A, R> volume(String mountPath, Data data) {
        return with(b -> b.volume(mountPath, data));
    }

    /**
     * Makes the submission idempotent: every submission with the same key to the same store returns the same job,
     * from this JVM or another, even after the job ended, as long as its record exists. Only one job ever runs. A
     * retried CI step therefore never starts a second training run.
     *
     * @param key 1 to 128 letters, digits, '.', '_' or '-', e.g. {@code ci-run-4711}
     */
    public RemoteFunctionJob<A, R> idempotencyKey(String key) {
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
    public RemoteFunctionJob<A, R> hosts(int n) {
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
    public RemoteFunctionJob<A, R> timeout(java.time.Duration limit) {
        return with(b -> b.timeout(limit));
    }

    public RemoteFunctionJob<A, R> displayName(String name) {
        return with(b -> b.displayName(name));
    }

    /** Fans the function out over {@code inputs}, one job per input, with default batch options. */
    public BatchHandle<R> runAsyncMap(java.util.Collection<A> inputs) {
        return runAsyncMap(inputs, BatchOptions.DEFAULTS);
    }

    /**
     * Fans the function out over {@code inputs}, one job per input; returns at once. Every input is serialized
     * and stored before the first job is submitted.
     */
    public BatchHandle<R> runAsyncMap(java.util.Collection<A> inputs, BatchOptions batchOptions) {
        return session.batches().start(function, inputs, options, batchOptions);
    }

    /** Runs the function on {@code argument} as a job and waits, streaming its log to standard output. */
    public R call(A argument) {
        return LogStreaming.callAndStream(runAsync(argument));
    }

    /** Submits the job and returns at once. */
    public JobHandle<R> runAsync(A argument) {
        @SuppressWarnings("unchecked")
        Class<R> any = (Class<R>) Object.class;
        return session.submitter().submit(CallPayload.of(function, argument), options, any);
    }
}
