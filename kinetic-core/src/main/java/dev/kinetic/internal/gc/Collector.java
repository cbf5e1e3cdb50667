package dev.kinetic.internal.gc;

import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticException;
import dev.kinetic.internal.engine.Engine;
import dev.kinetic.internal.observe.JobLookup;
import dev.kinetic.internal.protocol.IdempotencyKeys;
import dev.kinetic.internal.protocol.SubmissionLease;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Retention for a store ({@code kinetic gc}): deletes finished jobs and ended batches older than a limit, then the
 * {@code cas/} objects and data trees that nothing left references. The sweep is safe against a submission running
 * at the same moment: see {@link SubmissionLease} (the collector holds {@code gc/lock}, and sweeps only while no
 * submission holds a live lease). Objects younger than {@link #GRACE} are never swept either, for submitters of
 * older versions, which take no lease.
 */
public final class Collector {
    /** cas/ objects younger than this are kept whatever references them. */
    static final Duration GRACE = Duration.ofHours(1);

    private final Engine engine;
    private final JobLookup lookup;

    public Collector(Engine engine, JobLookup lookup) {
        this.engine = engine;
        this.lookup = lookup;
    }

    /**
     * What to collect.
     *
     * @param olderThan jobs that ended (or, never started, were created) longer ago than this
     * @param statuses the final statuses to collect
     * @param outputs whether to delete the jobs' outputs too (never shared output prefixes other jobs still use)
     * @param dryRun report what would be deleted, delete nothing
     */
    public record Request(Duration olderThan, Set<JobStatus> statuses, boolean outputs, boolean dryRun) {}

    /**
     * What was (or, dry, would be) deleted.
     *
     * @param jobs the ids of the jobs deleted
     * @param batches the ids of the batches deleted
     * @param casObjects how many {@code cas/} objects were deleted
     * @param casBytes their size
     * @param dataTrees how many data trees were unmarked
     * @param swept whether {@code cas/} was swept (false while submissions hold leases, or another collection runs)
     * @param note why it was not, or null
     */
    public record Result(
            List<String> jobs,
            List<String> batches,
            int casObjects,
            long casBytes,
            int dataTrees,
            boolean swept,
            String note) {}

    public Result collect(Request request) {
        if (request.olderThan() == null || request.olderThan().isNegative()) {
            throw new KineticException("gc needs an age: give olderThan (e.g. 30 days), or set a retention");
        }
        BlobStore store = engine.defaultStore();
        Instant cutoff = engine.clock().instant().minus(request.olderThan());
        List<JobLookup.Listed> all = lookup.listWithRecords(r -> true, 0);
        List<JobRecord> doomed = new ArrayList<>();
        List<JobRecord> kept = new ArrayList<>();
        for (JobLookup.Listed l : all) {
            (collectable(l.info(), request, cutoff) ? doomed : kept).add(l.record());
        }
        Batches batches = Batches.scan(store, kept, cutoff);
        if (!request.dryRun()) {
            deleteJobs(store, doomed, kept, request.outputs());
            batches.deleteEnded(store);
        }
        List<String> jobIds = new ArrayList<>();
        for (JobRecord r : doomed) {
            jobIds.add(r.id().value());
        }
        Set<JobId> known = new HashSet<>();
        for (JobLookup.Listed l : all) {
            known.add(l.record().id());
        }
        Sweep sweep = sweep(store, kept, known, cutoff, request.dryRun());
        return new Result(jobIds, batches.ended(), sweep.objects, sweep.bytes, sweep.trees, sweep.swept, sweep.note);
    }

    private static boolean collectable(JobInfo info, Request request, Instant cutoff) {
        if (!info.status().isTerminal() || !request.statuses().contains(info.status())) {
            return false;
        }
        Instant when = info.endedAt() != null ? info.endedAt() : info.createdAt();
        return when != null && when.isBefore(cutoff);
    }

    private void deleteJobs(BlobStore store, List<JobRecord> doomed, List<JobRecord> kept, boolean outputs) {
        Set<String> sharedOutputs = new HashSet<>();
        for (JobRecord r : kept) {
            sharedOutputs.add(r.outputPrefix());
        }
        Parallel.forEach(doomed, r -> {
            try {
                engine.backend(r.backend()).delete(r);
            } catch (RuntimeException e) {
                // its backend resource is gone already or unreachable from here (TTL cleans it up on a cluster)
            }
            store.deletePrefix(JobLayout.jobPrefix(r.id()));
            if (r.idempotencyKey() != null) {
                IdempotencyKeys.release(store, r.idempotencyKey(), r.id());
            }
            if (outputs && r.outputPrefix() != null && !sharedOutputs.contains(r.outputPrefix())) {
                store.deletePrefix(r.outputPrefix().endsWith("/") ? r.outputPrefix() : r.outputPrefix() + "/");
            }
        });
    }

    /** What the sweep of {@code cas/} and {@code data/} did. */
    private static final class Sweep {
        int objects;
        long bytes;
        int trees;
        boolean swept;
        String note;
    }

    /**
     * Sweeps {@code cas/} and {@code data/} under the lock. What references them is read after the lock is held and
     * no lease is live: a submission that finished before that is in the store by then, one still running holds a
     * lease, and one that starts later waits for the lock.
     */
    private Sweep sweep(BlobStore store, List<JobRecord> kept, Set<JobId> known, Instant cutoff, boolean dryRun) {
        Sweep sweep = new Sweep();
        if (!dryRun && !store.putIfAbsent(JobLayout.GC_LOCK, now())) {
            if (SubmissionLease.collectionRunning(store, engine.clock())) {
                sweep.note = "another collection holds " + JobLayout.GC_LOCK + "; cas/ was not swept";
                return sweep;
            }
            store.put(JobLayout.GC_LOCK, now()); // a dead collector's lock: take it over
        }
        try {
            List<BlobInfo> leases = SubmissionLease.live(store, engine.clock());
            if (!leases.isEmpty()) {
                sweep.note = leases.size() + " submission(s) in flight hold leases under " + JobLayout.LEASES
                        + "; cas/ was not swept: run gc again when they are recorded";
                return sweep;
            }
            List<JobRecord> remaining = new ArrayList<>(kept);
            remaining.addAll(recordedSince(store, known));
            References refs = References.of(
                    store, remaining, Batches.scan(store, remaining, cutoff).kept());
            Instant young = engine.clock().instant().minus(GRACE);
            for (BlobInfo marker : store.list(JobLayout.DATA)) {
                String tree = References.treeOfMarker(marker.key());
                if (tree != null && !refs.trees().contains(tree) && old(marker, young)) {
                    sweep.trees++;
                    if (!dryRun) {
                        store.delete(marker.key()); // first: an uploader that finds no marker uploads again
                    }
                }
            }
            List<BlobInfo> unused = new ArrayList<>();
            for (BlobInfo b : store.list("cas/")) {
                String sha = b.key().substring("cas/".length());
                if (!refs.cas().contains(sha) && old(b, young)) {
                    unused.add(b);
                    sweep.objects++;
                    sweep.bytes += b.size();
                }
            }
            if (!dryRun) {
                Parallel.forEach(unused, b -> store.delete(b.key()));
            }
            sweep.swept = true;
            return sweep;
        } finally {
            if (!dryRun) {
                store.delete(JobLayout.GC_LOCK);
            }
        }
    }

    /** The records of jobs that were submitted while this collection ran. */
    private static List<JobRecord> recordedSince(BlobStore store, Set<JobId> known) {
        List<JobRecord> out = new ArrayList<>();
        for (String prefix : store.listPrefixes(JobLayout.JOBS)) {
            JobId id = JobLayout.jobIdOf(prefix);
            if (id != null && !known.contains(id)) {
                store.get(JobLayout.record(id)).ifPresent(json -> {
                    try {
                        out.add(JobRecord.fromJson(json, JobLayout.record(id)));
                    } catch (KineticException damaged) {
                        // unreadable: references nothing
                    }
                });
            }
        }
        return out;
    }

    private static boolean old(BlobInfo b, Instant young) {
        return b.lastModified() == null || b.lastModified().isBefore(young);
    }

    private byte[] now() {
        return engine.clock().instant().toString().getBytes(StandardCharsets.UTF_8);
    }
}
