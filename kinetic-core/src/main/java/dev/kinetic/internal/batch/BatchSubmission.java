package dev.kinetic.internal.batch;

import dev.kinetic.BatchOptions;
import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticException;
import dev.kinetic.internal.engine.Engine;
import dev.kinetic.internal.observe.DefaultJobHandle;
import dev.kinetic.internal.observe.JobInspector;
import dev.kinetic.internal.submit.JobExistsException;
import dev.kinetic.internal.submit.JobTemplate;
import dev.kinetic.internal.submit.Submitter;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The loop that submits a batch's inputs from this JVM: at most {@code maxConcurrent} children alive, retries,
 * fail-fast and cancel honoured. Any JVM can run it ({@code resume()}): each input's attempt is claimed create-only
 * before it is launched, so no input is ever submitted twice.
 */
final class BatchSubmission<R> {
    static final long POLL_MILLIS = 200;

    private final Engine engine;
    private final Submitter submitter;
    private final BlobStore store;
    private final BatchManifest manifest;
    private final JobTemplate template;
    private final BatchChildren<R> children;

    BatchSubmission(
            Engine engine,
            Submitter submitter,
            BlobStore store,
            BatchManifest manifest,
            JobTemplate template,
            BatchChildren<R> children) {
        this.engine = engine;
        this.submitter = submitter;
        this.store = store;
        this.manifest = manifest;
        this.template = template;
        this.children = children;
    }

    /** Where the children stand in one pass, and what to submit next. */
    private static final class Pass<R> {
        int active;
        int unstarted;
        boolean failedForGood;
        final List<Integer> retry = new ArrayList<>();
        final List<Integer> orphaned = new ArrayList<>();
        final List<Integer> neverStarted = new ArrayList<>();
        final List<JobHandle<R>> running = new ArrayList<>();
    }

    /** Submits until every input has a job that ended, or the batch is cancelled or failed fast. */
    void run() {
        BatchOptions options = manifest.batchOptions();
        while (!children.isCancelled()) {
            Map<Integer, Claims.Claim> latest = children.latestClaims();
            Pass<R> pass = survey(latest, options);
            if (pass.failedForGood && options.cancelRunningOnFail()) {
                latest.values().forEach(c -> children.handle(c.jobId()).ifPresent(JobHandle::cancel));
                return;
            }
            List<Integer> pending = new ArrayList<>(pass.orphaned);
            pending.addAll(pass.neverStarted);
            pending.addAll(pass.retry);
            if (!(pass.failedForGood && options.failFast())) {
                for (int i = 0; i < manifest.size(); i++) {
                    if (!latest.containsKey(i)) {
                        pending.add(i);
                    }
                }
            }
            if (pending.isEmpty() && (pass.active == 0 || (options.retries() == 0 && pass.unstarted == 0))) {
                return; // everything is submitted and nothing will need a retry
            }
            int active = pass.active;
            for (int index : pending) {
                if (active >= options.maxConcurrent()) {
                    break;
                }
                Claims.Claim c = latest.get(index);
                submit(index, c == null ? 0 : pass.orphaned.contains(index) ? c.attempt() : c.attempt() + 1);
                active++;
            }
            awaitProgress(pass.running);
        }
    }

    private Pass<R> survey(Map<Integer, Claims.Claim> latest, BatchOptions options) {
        Pass<R> pass = new Pass<>();
        for (Map.Entry<Integer, Claims.Claim> e : latest.entrySet()) {
            JobInfo info = children.finished(e.getValue().jobId());
            if (info == null) {
                Optional<JobHandle<R>> job = children.handle(e.getValue().jobId());
                if (job.isEmpty()) {
                    // Claimed but never launched (the claimant died in between): launch it under the same claim.
                    pass.orphaned.add(e.getKey());
                    continue;
                }
                info = children.describe(job.get());
                if (!info.status().isTerminal()) {
                    pass.running.add(job.get());
                }
            }
            JobStatus s = info.status();
            if (!s.isTerminal()) {
                pass.active++;
                if (info.startedAt() == null) {
                    pass.unstarted++; // may still turn out never started (its submitter died): keep watching
                }
            } else if (s == JobStatus.FAILED
                    && info.reason() != null
                    && info.reason().startsWith(JobInspector.NEVER_STARTED)) {
                // Recorded, but its submitter died before starting it: not a failure of the input.
                pass.neverStarted.add(e.getKey());
            } else if (s == JobStatus.FAILED) {
                if (e.getValue().attempt() < options.retries()) {
                    pass.retry.add(e.getKey());
                } else {
                    pass.failedForGood = true;
                }
            }
        }
        return pass;
    }

    /**
     * Waits until the oldest running child may have finished (on the local backend: its agent exits), at most
     * {@link #POLL_MILLIS}: a freed slot is refilled at once instead of at the next poll.
     */
    private void awaitProgress(List<JobHandle<R>> running) {
        if (!running.isEmpty() && running.get(0) instanceof DefaultJobHandle<?> oldest) {
            try {
                engine.backend(oldest.record().backend()).awaitChange(oldest.record(), Duration.ofMillis(POLL_MILLIS));
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
    void submit(int index, int attempt) {
        String claimKey = BatchLayout.claim(manifest.id(), index, attempt);
        JobId jobId = submitter.newId(template);
        if (!store.putIfAbsent(claimKey, jobId.value().getBytes(StandardCharsets.UTF_8))) {
            jobId = JobId.of(new String(store.get(claimKey).orElseThrow(), StandardCharsets.UTF_8));
            if (store.exists(JobLayout.record(jobId))) {
                return; // someone submitted it already
            }
        }
        byte[] payload = store.get(BatchLayout.input(manifest.id(), index))
                .orElseThrow(() -> new KineticException(
                        manifest.id(),
                        "input " + index + " of batch " + manifest.id() + " is missing from the store",
                        null));
        String actual = Hashing.sha256(payload);
        if (!actual.equals(manifest.inputSha256().get(index))) {
            throw new KineticException(
                    manifest.id(),
                    "input " + index + " of batch " + manifest.id() + " is corrupt: expected sha256 "
                            + manifest.inputSha256().get(index) + ", got " + actual,
                    null);
        }
        try {
            @SuppressWarnings("unchecked")
            JobHandle<R> job =
                    (JobHandle<R>) submitter.launch(template, payload, jobId, manifest.id(), index, Object.class);
            children.launched(jobId.value(), job);
        } catch (JobExistsException alreadyThere) {
            // another JVM won the race for this claim's job: fine, it runs once
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KineticException("interrupted while waiting for a batch", e);
        }
    }
}
