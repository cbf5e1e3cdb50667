package dev.kinetic.internal.batch;

import dev.kinetic.BatchFailedException;
import dev.kinetic.BatchHandle;
import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.BatchHandle.ReturnExceptions;
import dev.kinetic.Cleanup;
import dev.kinetic.JobCancelledException;
import dev.kinetic.JobHandle;
import dev.kinetic.JobStatus;
import dev.kinetic.JobTimeoutException;
import dev.kinetic.KineticException;
import dev.kinetic.internal.engine.Engine;
import dev.kinetic.internal.observe.JobLookup;
import dev.kinetic.internal.submit.JobTemplate;
import dev.kinetic.internal.submit.Submitter;
import dev.kinetic.spi.store.BlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The {@link BatchHandle}: state lives in the store (manifest, inputs, claims, endings, the workers' pool and leases),
 * so any JVM can drive it. On a backend that runs workers the batch runs on them ({@link WorkerPools}); on one that
 * does not, this JVM submits the inputs as jobs ({@link BatchSubmission}).
 */
final class DefaultBatchHandle<R> implements BatchHandle<R> {
    private static final long POLL_MILLIS = BatchSubmission.POLL_MILLIS;
    /** A batch without a pool whose claims did not change for this long has nobody submitting it. */
    private static final long STALL_NANOS = 2 * WorkerBeat.LEASE.toNanos();

    private final BlobStore store;
    private final BatchManifest manifest;
    private final BatchChildren<R> children;
    private final BatchSubmission<R> submission;
    private final WorkerPools pools;
    private volatile Thread runner;
    private volatile Throwable runnerFailure;

    DefaultBatchHandle(Engine engine, Submitter submitter, JobLookup lookup, BlobStore store, BatchManifest manifest) {
        this.store = store;
        this.manifest = manifest;
        this.children = new BatchChildren<>(manifest.id(), store, lookup);
        JobTemplate template = submitter
                .packager()
                .restore(
                        manifest.options(),
                        manifest.function(),
                        manifest.definingClass(),
                        manifest.envNames(),
                        manifest.classpath());
        this.submission = new BatchSubmission<>(engine, submitter, store, manifest, template, children);
        this.pools = new WorkerPools(engine, store, manifest, template);
    }

    /** Starts the batch: its workers, before returning (or, on a backend without workers, this JVM's submission). */
    void start() {
        if (pools.supported()) {
            pools.start(Math.min(manifest.batchOptions().maxConcurrent(), manifest.size()));
        } else {
            resume();
        }
    }

    @Override
    public String id() {
        return manifest.id();
    }

    @Override
    public int size() {
        return manifest.size();
    }

    @Override
    public List<Optional<JobHandle<R>>> jobs() {
        Map<Integer, Claims.Claim> latest = children.latestClaims();
        List<Optional<JobHandle<R>>> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            Claims.Claim c = latest.get(i);
            out.add(c == null ? Optional.empty() : children.handle(c.jobId()));
        }
        return out;
    }

    @Override
    public BatchCounts statusCounts() {
        return BatchProgress.count(manifest, store, children, pools);
    }

    @Override
    public List<R> results() {
        return results(null);
    }

    @Override
    public List<R> results(Duration timeout) {
        List<Object> all = collect(timeout);
        Map<Integer, Throwable> failures = new TreeMap<>();
        List<Object> partial = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i) instanceof Failure f) {
                failures.put(i, f.cause());
                partial.add(null);
            } else {
                partial.add(all.get(i));
            }
        }
        if (!failures.isEmpty()) {
            throw new BatchFailedException(id(), failures, partial);
        }
        @SuppressWarnings("unchecked")
        List<R> values = (List<R>) (List<?>) partial;
        return values;
    }

    @Override
    public List<Object> results(Duration timeout, ReturnExceptions inPlace) {
        List<Object> all = collect(timeout);
        all.replaceAll(o -> o instanceof Failure f ? f.cause() : o);
        return all;
    }

    @Override
    public Stream<JobHandle<R>> asCompleted() {
        Set<Integer> delivered = new HashSet<>();
        Spliterator<JobHandle<R>> spliterator = new Spliterators.AbstractSpliterator<>(size(), Spliterator.ORDERED) {
            @Override
            public boolean tryAdvance(Consumer<? super JobHandle<R>> action) {
                while (delivered.size() < size()) {
                    List<Optional<JobHandle<R>>> js = jobs();
                    // Cancelled, or stopped by failFast: an input without a job will never get one.
                    boolean cancelled = children.isCancelled() || store.exists(BatchLayout.stopped(id()));
                    for (int i = 0; i < js.size(); i++) {
                        if (delivered.contains(i)) {
                            continue;
                        }
                        if (js.get(i).isPresent() && js.get(i).get().status().isTerminal()) {
                            delivered.add(i);
                            action.accept(js.get(i).get());
                            return true;
                        }
                        if (js.get(i).isEmpty() && cancelled) {
                            delivered.add(i); // never submitted: nothing will complete
                        }
                    }
                    BatchSubmission.sleep(POLL_MILLIS);
                }
                return false;
            }
        };
        return StreamSupport.stream(spliterator, false);
    }

    @Override
    public Map<Integer, Throwable> failures() {
        Map<Integer, Throwable> out = new TreeMap<>();
        List<Optional<JobHandle<R>>> js = jobs();
        for (int i = 0; i < js.size(); i++) {
            if (js.get(i).isPresent() && js.get(i).get().status() == JobStatus.FAILED) {
                out.put(i, outcomeOf(js.get(i).get()));
            }
        }
        return out;
    }

    @Override
    public BatchHandle<R> retryFailed() {
        Map<Integer, Claims.Claim> latest = children.latestClaims();
        List<Optional<JobHandle<R>>> js = jobs();
        boolean onWorkers = pools.supported();
        for (int i = 0; i < js.size(); i++) {
            if (js.get(i).isPresent() && js.get(i).get().status() == JobStatus.FAILED) {
                int next = latest.get(i).attempt() + 1;
                if (onWorkers) {
                    // A worker takes it, whatever the retries left; create-only, so asking twice asks once.
                    store.putIfAbsent(BatchLayout.requeue(id(), i, next), new byte[0]);
                } else {
                    submission.submit(i, next);
                }
            }
        }
        if (onWorkers) {
            resume();
        }
        return this;
    }

    @Override
    public synchronized BatchHandle<R> resume() {
        if (pools.supported()) {
            BatchCounts counts = statusCounts();
            if (counts.queued() > 0 && pools.deadReason().isPresent()) {
                pools.start(Math.min(manifest.batchOptions().maxConcurrent(), counts.queued()));
            }
            return this;
        }
        if (runner != null && runner.isAlive()) {
            return this;
        }
        // Not a daemon: a program that returns from main still gets every input submitted.
        runnerFailure = null;
        runner = new Thread(
                () -> {
                    try {
                        submission.run();
                    } catch (RuntimeException | Error e) {
                        runnerFailure = e; // reported by awaitSubmission; the inputs left show as not submitted
                    }
                },
                "kinetic-batch-" + id());
        runner.start();
        return this;
    }

    @Override
    public boolean awaitSubmission(Duration timeout) {
        Thread t = runner;
        if (t != null) {
            try {
                t.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KineticException(id(), "interrupted while submitting batch " + id(), e);
            }
            if (t.isAlive()) {
                return false;
            }
        }
        Throwable failure = runnerFailure;
        if (failure instanceof KineticException k) {
            throw k;
        }
        if (failure != null) {
            throw new KineticException(id(), "submitting the inputs of batch " + id() + " failed: " + failure, failure);
        }
        return true;
    }

    @Override
    public void cancel() {
        store.put(BatchLayout.cancelled(id()), Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        for (Optional<JobHandle<R>> job : jobs()) {
            job.ifPresent(JobHandle::cancel);
        }
        // After the cancel requests: a stopped worker records its input as cancelled, and takes no other.
        pools.stop();
    }

    @Override
    public void cleanup(Cleanup cleanup) {
        // Every attempt's job, not only the latest: a retried or taken-over input leaves its earlier jobs behind.
        for (String jobId : children.allJobIds()) {
            children.handle(jobId).ifPresent(j -> j.cleanup(cleanup));
        }
        children.forgetFinished();
        if (cleanup.backend()) {
            pools.delete();
        }
        if (cleanup.store()) {
            store.deletePrefix(BatchLayout.prefix(id()));
        }
    }

    private List<Object> collect(Duration timeout) {
        Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
        int claimsSeen = -1;
        long unchangedSince = System.nanoTime();
        while (true) {
            BatchCounts counts = statusCounts();
            boolean runnerAlive = runner != null && runner.isAlive();
            if (counts.queued() == 0 && counts.running() == 0 && !runnerAlive) {
                break; // every input ended for good, or will never run (cancelled, stopped by failFast)
            }
            if (counts.queued() > 0 && !runnerAlive) {
                // Nothing hangs without a word: queued inputs need a live worker (or a submitter, before workers).
                int claims = children.latestClaims().size();
                if (claims != claimsSeen) {
                    claimsSeen = claims;
                    unchangedSince = System.nanoTime();
                }
                Optional<String> dead = pools.deadReason();
                boolean pooled = pools.current().isPresent();
                if (dead.isPresent() && (pooled || System.nanoTime() - unchangedSince > STALL_NANOS)) {
                    BatchCounts again = statusCounts(); // the last worker may have finished meanwhile
                    if (again.queued() > 0) {
                        throw noWorkers(again, dead.get());
                    }
                }
            }
            if (deadline != null && Instant.now().isAfter(deadline)) {
                throw new JobTimeoutException(id(), timeout, JobStatus.RUNNING);
            }
            BatchSubmission.sleep(POLL_MILLIS);
        }
        List<Object> out = new ArrayList<>();
        for (Optional<JobHandle<R>> job : jobs()) {
            if (job.isEmpty()) {
                out.add(new Failure(new JobCancelledException(id() + " (input never submitted)")));
                continue;
            }
            JobHandle<R> j = job.get();
            if (j.status() == JobStatus.SUCCEEDED) {
                out.add(j.result(Duration.ZERO, Cleanup.NONE));
            } else {
                out.add(new Failure(outcomeOf(j)));
            }
        }
        return out;
    }

    private KineticException noWorkers(BatchCounts counts, String why) {
        return new KineticException(
                id(),
                "batch " + id() + ": " + counts.queued() + " of " + counts.size()
                        + " inputs are waiting to run, but no "
                        + "worker will take them: " + why
                        + ". Start workers again with resume() (Kinetic.attachBatch(\""
                        + id() + "\").resume(), or `kinetic batches resume " + id() + "`)",
                null);
    }

    private Throwable outcomeOf(JobHandle<R> job) {
        try {
            job.result(Duration.ZERO, Cleanup.NONE);
            return new KineticException(job.id(), "job " + job.id() + " did not fail", null);
        } catch (KineticException e) {
            return e.getCause() != null && e instanceof dev.kinetic.JobFailedException ? e.getCause() : e;
        }
    }

    private record Failure(Throwable cause) {}
}
