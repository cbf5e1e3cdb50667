package dev.kinetic.batch;

import dev.kinetic.BatchCounts;
import dev.kinetic.BatchFailedException;
import dev.kinetic.BatchHandle;
import dev.kinetic.Cleanup;
import dev.kinetic.JobCancelledException;
import dev.kinetic.JobHandle;
import dev.kinetic.JobStatus;
import dev.kinetic.JobTimeoutException;
import dev.kinetic.KineticException;
import dev.kinetic.ReturnExceptions;
import dev.kinetic.job.JobService;
import dev.kinetic.store.BlobInfo;
import dev.kinetic.store.BlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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

/** The {@link BatchHandle}: state lives in the store (manifest, inputs, claims), so any JVM can drive it. */
final class DefaultBatchHandle<R> implements BatchHandle<R> {
    private static final long POLL_MILLIS = 200;

    private final JobService jobs;
    private final BlobStore store;
    private final BatchManifest manifest;
    private final JobService.Prepared prepared;
    private final Map<String, JobHandle<R>> attached = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Children known to have finished, by job id: a finished job's status never changes (until cleanup), so the
     * loops below stop asking the store about it; otherwise each pass over a 1 000-input batch re-reads them all.
     */
    private final Map<String, dev.kinetic.JobInfo> finished = new java.util.concurrent.ConcurrentHashMap<>();
    /** Claim key to job id: claims are create-only, so each is read once, not on every pass. */
    private final Map<String, String> claimedJobs = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Thread runner;
    private volatile Throwable runnerFailure;

    DefaultBatchHandle(JobService jobs, BlobStore store, BatchManifest manifest) {
        this.jobs = jobs;
        this.store = store;
        this.manifest = manifest;
        this.prepared = jobs.restore(manifest.options(), manifest.function(), manifest.definingClass(),
                manifest.envNames(), manifest.classpath());
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
        Map<Integer, Claim> latest = latestClaims();
        List<Optional<JobHandle<R>>> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            Claim c = latest.get(i);
            out.add(c == null ? Optional.empty() : handle(c.jobId()));
        }
        return out;
    }

    @Override
    public BatchCounts statusCounts() {
        Map<JobStatus, Integer> by = new EnumMap<>(JobStatus.class);
        int notSubmitted = 0;
        for (Optional<JobHandle<R>> job : jobs()) {
            if (job.isEmpty()) {
                notSubmitted++;
            } else {
                by.merge(describe(job.get()).status(), 1, Integer::sum);
            }
        }
        return new BatchCounts(size(), notSubmitted, by);
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
                    boolean cancelled = isCancelled();
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
                    sleep(POLL_MILLIS);
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
        Map<Integer, Claim> latest = latestClaims();
        List<Optional<JobHandle<R>>> js = jobs();
        for (int i = 0; i < js.size(); i++) {
            if (js.get(i).isPresent() && js.get(i).get().status() == JobStatus.FAILED) {
                submit(i, latest.get(i).attempt() + 1);
            }
        }
        return this;
    }

    @Override
    public synchronized BatchHandle<R> resume() {
        if (runner != null && runner.isAlive()) {
            return this;
        }
        // Not a daemon: a program that returns from main still gets every input submitted.
        runnerFailure = null;
        runner = new Thread(() -> {
            try {
                submitAll();
            } catch (RuntimeException | Error e) {
                runnerFailure = e; // reported by awaitSubmission; the inputs left show as not submitted
            }
        }, "kinetic-batch-" + id());
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
    }

    @Override
    public void cleanup(Cleanup cleanup) {
        for (Optional<JobHandle<R>> job : jobs()) {
            job.ifPresent(j -> j.cleanup(cleanup));
        }
        finished.clear();
        if (cleanup.store()) {
            store.deletePrefix(BatchLayout.prefix(id()));
        }
    }

    /** The submission loop: at most maxConcurrent children alive; fail-fast, cancel and retries honoured. */
    private void submitAll() {
        var options = manifest.batchOptions();
        while (true) {
            if (isCancelled()) {
                return;
            }
            Map<Integer, Claim> latest = latestClaims();
            int active = 0;
            boolean failedForGood = false;
            List<Integer> retry = new ArrayList<>();
            List<Integer> orphaned = new ArrayList<>();
            List<Integer> neverStarted = new ArrayList<>();
            int unstarted = 0;
            List<JobHandle<R>> running = new ArrayList<>();
            for (var e : latest.entrySet()) {
                dev.kinetic.JobInfo info = finished.get(e.getValue().jobId());
                if (info == null) {
                    Optional<JobHandle<R>> job = handle(e.getValue().jobId());
                    if (job.isEmpty()) {
                        // Claimed but never launched (the claimant died in between): launch it under the same claim.
                        orphaned.add(e.getKey());
                        continue;
                    }
                    info = describe(job.get());
                    if (!info.status().isTerminal()) {
                        running.add(job.get());
                    }
                }
                JobStatus s = info.status();
                if (!s.isTerminal()) {
                    active++;
                    if (info.startedAt() == null) {
                        unstarted++; // may still turn out never started (its submitter died): keep watching
                    }
                } else if (s == JobStatus.FAILED && info.reason() != null
                        && info.reason().startsWith(dev.kinetic.job.JobInspector.NEVER_STARTED)) {
                    // Recorded, but its submitter died before starting it: not a failure of the input.
                    neverStarted.add(e.getKey());
                } else if (s == JobStatus.FAILED) {
                    if (e.getValue().attempt() < options.retries()) {
                        retry.add(e.getKey());
                    } else {
                        failedForGood = true;
                    }
                }
            }
            if (failedForGood && options.cancelRunningOnFail()) {
                latest.values().forEach(c -> handle(c.jobId()).ifPresent(JobHandle::cancel));
                return;
            }
            List<Integer> pending = new ArrayList<>(orphaned);
            pending.addAll(neverStarted);
            pending.addAll(retry);
            if (!(failedForGood && options.failFast())) {
                for (int i = 0; i < size(); i++) {
                    if (!latest.containsKey(i)) {
                        pending.add(i);
                    }
                }
            }
            if (pending.isEmpty() && active == 0) {
                return;
            }
            if (pending.isEmpty() && options.retries() == 0 && unstarted == 0) {
                return; // everything is submitted and nothing will need a retry
            }
            for (int index : pending) {
                if (active >= options.maxConcurrent()) {
                    break;
                }
                Claim c = latest.get(index);
                submit(index, c == null ? 0 : orphaned.contains(index) ? c.attempt() : c.attempt() + 1);
                active++;
            }
            awaitProgress(running);
        }
    }

    /** The child's state; finished ones from memory. */
    private dev.kinetic.JobInfo describe(JobHandle<R> job) {
        dev.kinetic.JobInfo known = finished.get(job.id());
        if (known != null) {
            return known;
        }
        dev.kinetic.JobInfo info = job.describe();
        if (info.status().isTerminal()) {
            finished.put(job.id(), info);
        }
        return info;
    }

    /**
     * Waits until the oldest running child may have finished (on the local backend: its agent exits), at most
     * {@link #POLL_MILLIS}: a freed slot is refilled at once instead of at the next poll.
     */
    private void awaitProgress(List<JobHandle<R>> running) {
        if (!running.isEmpty() && running.get(0) instanceof dev.kinetic.job.DefaultJobHandle<?> oldest) {
            try {
                jobs.backend(oldest.record().backend()).awaitChange(oldest.record(), Duration.ofMillis(POLL_MILLIS));
                return;
            } catch (InterruptedException e) {
                // Stop submitting, as sleep() does: an interrupt means the submitting program is going away.
                Thread.currentThread().interrupt();
                throw new KineticException("interrupted while waiting for a batch", e);
            } catch (RuntimeException e) {
                // the backend cannot wait for it: poll
            }
        }
        sleep(POLL_MILLIS);
    }

    /** Claims the attempt (create-only) and launches its job; a claim left by a dead JVM is completed, never doubled. */
    private void submit(int index, int attempt) {
        String claimKey = BatchLayout.claim(id(), index, attempt);
        String jobId = jobs.newId(prepared);
        if (!store.putIfAbsent(claimKey, jobId.getBytes(StandardCharsets.UTF_8))) {
            jobId = new String(store.get(claimKey).orElseThrow(), StandardCharsets.UTF_8);
            if (store.exists(dev.kinetic.job.JobLayout.record(jobId))) {
                return; // someone submitted it already
            }
        }
        byte[] payload = store.get(BatchLayout.input(id(), index)).orElseThrow(() -> new KineticException(id(),
                "input " + index + " of batch " + id() + " is missing from the store", null));
        String actual = dev.kinetic.job.Hashing.sha256(payload);
        if (!actual.equals(manifest.inputSha256().get(index))) {
            throw new KineticException(id(), "input " + index + " of batch " + id() + " is corrupt: expected sha256 "
                    + manifest.inputSha256().get(index) + ", got " + actual, null);
        }
        try {
            JobHandle<R> job = jobs.launch(prepared, payload, jobId, id(), index, null);
            attached.put(jobId, job);
        } catch (JobService.JobExistsException alreadyThere) {
            // another JVM won the race for this claim's job: fine, it runs once
        }
    }

    private List<Object> collect(Duration timeout) {
        Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
        while (true) {
            BatchCounts counts = statusCounts();
            boolean runnerAlive = runner != null && runner.isAlive();
            boolean settled = counts.done() && !runnerAlive || isCancelled() && counts.count(JobStatus.PENDING) == 0
                    && counts.count(JobStatus.RUNNING) == 0;
            if (settled) {
                break;
            }
            if (deadline != null && Instant.now().isAfter(deadline)) {
                throw new JobTimeoutException(id(), timeout, JobStatus.RUNNING);
            }
            sleep(POLL_MILLIS);
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

    private Throwable outcomeOf(JobHandle<R> job) {
        try {
            job.result(Duration.ZERO, Cleanup.NONE);
            return new KineticException(job.id(), "job " + job.id() + " did not fail", null);
        } catch (KineticException e) {
            return e.getCause() != null && e instanceof dev.kinetic.JobFailedException ? e.getCause() : e;
        }
    }

    private Optional<JobHandle<R>> handle(String jobId) {
        JobHandle<R> known = attached.get(jobId);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            @SuppressWarnings("unchecked")
            JobHandle<R> job = (JobHandle<R>) jobs.attach(jobId, Object.class);
            attached.put(jobId, job);
            return Optional.of(job);
        } catch (dev.kinetic.JobNotFoundException e) {
            return Optional.empty();
        }
    }

    private boolean isCancelled() {
        return store.exists(BatchLayout.cancelled(id()));
    }

    /** The latest attempt's claim per input index. */
    private Map<Integer, Claim> latestClaims() {
        Map<Integer, Claim> out = new LinkedHashMap<>();
        String prefix = BatchLayout.claimPrefix(id());
        for (BlobInfo b : store.list(prefix)) {
            String[] parts = b.key().substring(prefix.length()).split("/");
            int index = Integer.parseInt(parts[0]);
            int attempt = Integer.parseInt(parts[1]);
            Claim existing = out.get(index);
            if (existing == null || existing.attempt() < attempt) {
                String jobId = claimedJobs.computeIfAbsent(b.key(),
                        k -> store.get(k).map(x -> new String(x, StandardCharsets.UTF_8)).orElse(null));
                if (jobId != null) {
                    out.put(index, new Claim(attempt, jobId));
                }
            }
        }
        return out;
    }

    private record Claim(int attempt, String jobId) {}

    private record Failure(Throwable cause) {}

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KineticException("interrupted while waiting for a batch", e);
        }
    }
}
