package dev.kinetic.internal.batch;

import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.JobNotFoundException;
import dev.kinetic.internal.observe.JobLookup;
import dev.kinetic.spi.store.BlobStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this JVM knows of a batch's children: which job each input's latest claim names, and handles and finished
 * states it need not read again. Claims are create-only and a finished job's status never changes (until cleanup),
 * so both are read once; otherwise each pass over a 1 000-input batch would re-read them all.
 */
final class BatchChildren<R> {
    private final String batchId;
    private final BlobStore store;
    private final JobLookup lookup;
    private final Map<String, JobHandle<R>> attached = new ConcurrentHashMap<>();
    private final Map<String, JobInfo> finished = new ConcurrentHashMap<>();
    private final Claims claims;

    BatchChildren(String batchId, BlobStore store, JobLookup lookup) {
        this.batchId = batchId;
        this.store = store;
        this.lookup = lookup;
        this.claims = new Claims(batchId, store);
    }

    /** The latest attempt's claim per input index. */
    Map<Integer, Claims.Claim> latestClaims() {
        return claims.latest();
    }

    /** Every attempt's job id, earlier (failed, lost) attempts included. */
    java.util.List<String> allJobIds() {
        return claims.allJobIds();
    }

    /** A handle to the child job, or empty when it has no record (never launched, or cleaned up). */
    Optional<JobHandle<R>> handle(String jobId) {
        JobHandle<R> known = attached.get(jobId);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            @SuppressWarnings("unchecked")
            JobHandle<R> job = (JobHandle<R>) lookup.attach(jobId, Object.class);
            attached.put(jobId, job);
            return Optional.of(job);
        } catch (JobNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Remembers a child this JVM just launched. */
    void launched(String jobId, JobHandle<R> job) {
        attached.put(jobId, job);
    }

    /** The child's state; finished ones from memory. */
    JobInfo describe(JobHandle<R> job) {
        JobInfo known = finished.get(job.id());
        if (known != null) {
            return known;
        }
        JobInfo info = job.describe();
        if (info.status().isTerminal()) {
            finished.put(job.id(), info);
        }
        return info;
    }

    /** The state this JVM remembered for a finished child, or null. */
    JobInfo finished(String jobId) {
        return finished.get(jobId);
    }

    /** Forgets every finished state (after a cleanup, the children read NOT_FOUND). */
    void forgetFinished() {
        finished.clear();
    }

    boolean isCancelled() {
        return store.exists(BatchLayout.cancelled(batchId));
    }
}
