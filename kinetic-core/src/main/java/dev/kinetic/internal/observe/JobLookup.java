package dev.kinetic.internal.observe;

import dev.kinetic.JobInfo;
import dev.kinetic.JobNotFoundException;
import dev.kinetic.KineticException;
import dev.kinetic.internal.engine.Engine;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.LiveState;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/** Finds jobs in the configured store: one by id ({@link #attach}), or all of them ({@link #list}). */
public final class JobLookup {
    private final Engine engine;

    public JobLookup(Engine engine) {
        this.engine = engine;
    }

    /**
     * A handle to an existing job in the configured store.
     *
     * @throws JobNotFoundException if the id is malformed or the store has no record of it
     */
    public <T> DefaultJobHandle<T> attach(String id, Class<T> resultType) {
        JobId jobId;
        try {
            jobId = JobId.of(id);
        } catch (IllegalArgumentException e) {
            throw new JobNotFoundException(id, engine.defaultStore().uri() + " (" + e.getMessage() + ")");
        }
        return attach(jobId, resultType);
    }

    /**
     * A handle to an existing job in the configured store.
     *
     * @throws JobNotFoundException if the store has no record of it
     */
    public <T> DefaultJobHandle<T> attach(JobId id, Class<T> resultType) {
        BlobStore store = engine.defaultStore();
        String key = JobLayout.record(id);
        byte[] json = store.get(key).orElseThrow(() -> new JobNotFoundException(id.value(), "store " + store.uri()));
        JobRecord record = JobRecord.fromJson(json, store.uri() + " " + key);
        return new DefaultJobHandle<>(engine, record, store, engine.backend(record.backend()), resultType);
    }

    /**
     * Every job in the configured store that {@code filter} accepts, newest first, finished jobs included, at most
     * {@code limit} (0 for all). One listing of the store, one read per record, and one backend probe per backend for
     * the jobs still running.
     */
    public List<JobInfo> list(Predicate<JobRecord> filter, int limit) {
        List<JobInfo> out = new ArrayList<>();
        for (Listed l : listWithRecords(filter, limit)) {
            out.add(l.info());
        }
        return out;
    }

    /** A job as listed: its record and its status. */
    public record Listed(JobRecord record, JobInfo info) {}

    /** {@link #list}, with each job's record (for the collector, which needs both and must read records once). */
    public List<Listed> listWithRecords(Predicate<JobRecord> filter, int limit) {
        BlobStore store = engine.defaultStore();
        Map<JobId, JobInspector.StoreView> views = storeViews(store);
        List<JobRecord> records = readRecords(store, new ArrayList<>(views.keySet()));
        records.removeIf(r -> !filter.test(r));
        records.sort(Comparator.comparing(JobRecord::createdAt)
                .reversed()
                .thenComparing(JobRecord::id, Comparator.reverseOrder()));
        if (limit > 0 && records.size() > limit) {
            records = new ArrayList<>(records.subList(0, limit));
        }
        Map<JobId, LiveState> states = probeUnfinished(records, views);
        List<Listed> out = new ArrayList<>();
        for (JobRecord r : records) {
            LiveState state = states.getOrDefault(r.id(), LiveState.of(LiveState.Phase.UNKNOWN));
            JobInspector.recordAbandoned(r, store, state);
            JobInspector.StoreView view = views.get(r.id());
            if (state.phase() == LiveState.Phase.EXITED || state.phase() == LiveState.Phase.GONE) {
                // It may have ended between the listing and the probe: look again before calling it a crash.
                view = JobInspector.StoreView.of(store.list(JobLayout.jobPrefix(r.id())));
            }
            out.add(new Listed(r, JobInspector.merge(r, view, null, state)));
        }
        return out;
    }

    /** What one listing of {@code jobs/} says of every job that has a record. */
    private static Map<JobId, JobInspector.StoreView> storeViews(BlobStore store) {
        Map<JobId, List<BlobInfo>> byJob = new TreeMap<>(Comparator.reverseOrder());
        for (BlobInfo b : store.list(JobLayout.JOBS)) {
            JobId id = JobLayout.jobIdOf(b.key());
            if (id != null) {
                byJob.computeIfAbsent(id, k -> new ArrayList<>()).add(b);
            }
        }
        Map<JobId, JobInspector.StoreView> views = new LinkedHashMap<>();
        byJob.forEach((id, keys) -> {
            JobInspector.StoreView v = JobInspector.StoreView.of(keys);
            if (v.hasRecord()) {
                views.put(id, v);
            }
        });
        return views;
    }

    /** The live state of every job that has not ended, with one probe call per backend. */
    private Map<JobId, LiveState> probeUnfinished(List<JobRecord> records, Map<JobId, JobInspector.StoreView> views) {
        Map<String, List<JobRecord>> live = new HashMap<>();
        for (JobRecord r : records) {
            JobInspector.StoreView v = views.get(r.id());
            // A multi-host job whose host 0 has ended is still live until every other host has ended or stopped.
            if ((v.ended() == null && !v.hasOutcome()) || (r.hosts() > 1 && !v.allHostsEnded(r.hosts()))) {
                live.computeIfAbsent(r.backend(), b -> new ArrayList<>()).add(r);
            }
        }
        Map<JobId, LiveState> states = new HashMap<>();
        live.forEach((backendName, rs) -> {
            try {
                states.putAll(engine.backend(backendName).probeAll(rs));
            } catch (KineticException e) {
                rs.forEach(r -> states.put(r.id(), new LiveState(LiveState.Phase.UNKNOWN, e.getMessage(), null, null)));
            }
        });
        return states;
    }

    private static List<JobRecord> readRecords(BlobStore store, List<JobId> ids) {
        List<Future<JobRecord>> futures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(16, ids.size() / 64 + 1)));
        try {
            for (JobId id : ids) {
                futures.add(pool.submit(() -> readRecord(store, id)));
            }
            List<JobRecord> out = new ArrayList<>();
            for (Future<JobRecord> f : futures) {
                JobRecord r = f.get();
                if (r != null) {
                    out.add(r);
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KineticException("interrupted while listing jobs", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KineticException k
                    ? k
                    : new KineticException("cannot list jobs: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static JobRecord readRecord(BlobStore store, JobId id) {
        String key = JobLayout.record(id);
        try {
            return store.get(key).map(b -> JobRecord.fromJson(b, key)).orElse(null);
        } catch (KineticException corrupt) {
            return null; // listed by `kinetic jobs status`, which explains it
        }
    }
}
