package dev.kinetic.job;

import dev.kinetic.JobInfo;
import dev.kinetic.JobNotFoundException;
import dev.kinetic.JobOptions;
import dev.kinetic.KineticException;
import dev.kinetic.accelerator.Accelerator;
import dev.kinetic.accelerator.AcceleratorCatalog;
import dev.kinetic.backend.AgentCommand;
import dev.kinetic.backend.Backend;
import dev.kinetic.backend.Backends;
import dev.kinetic.backend.LiveState;
import dev.kinetic.config.Settings;
import dev.kinetic.config.SettingsResolver;
import dev.kinetic.store.BlobInfo;
import dev.kinetic.store.BlobStore;
import dev.kinetic.store.BlobStores;
import dev.kinetic.store.TransferListener;
import java.io.IOException;
import java.io.NotSerializableException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * The engine behind the public API: packages and submits jobs, attaches to them, lists them. Owns the open
 * stores and backends, which it closes with {@link #close()}.
 */
public final class JobService implements AutoCloseable {
    private static final String VERSION = "0.1.0";

    private final Settings settings;
    private final Clock clock;
    private final JobIds ids;
    private final AcceleratorCatalog catalog = AcceleratorCatalog.builtIn();
    private final Map<String, BlobStore> stores = new ConcurrentHashMap<>();
    private final Map<String, Backend> backends = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kinetic-background");
        t.setDaemon(true);
        return t;
    });
    private volatile TransferListener transferListener = TransferListener.NONE;

    public JobService(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.ids = new JobIds(clock);
    }

    public Settings settings() {
        return settings;
    }

    /** Where upload and download progress goes. */
    public void transferListener(TransferListener listener) {
        this.transferListener = listener;
    }

    ExecutorService background() {
        return background;
    }

    public BlobStore store(URI uri) {
        return stores.computeIfAbsent(uri.toString(), u -> BlobStores.open(uri, settings.environment()));
    }

    public BlobStore defaultStore() {
        return store(settings.store());
    }

    public Backend backend(String name) {
        return backends.computeIfAbsent(name, n -> Backends.create(n, settings));
    }

    /**
     * Packages the call, records the job, and starts it on the backend; nothing is written if the call cannot
     * be serialized or an option is invalid.
     */
    public <T> DefaultJobHandle<T> submit(CallPayload call, JobOptions options, Class<T> resultType) {
        return submit(call, options, resultType, ClasspathSnapshot.currentClasspath(), null, null);
    }

    public <T> DefaultJobHandle<T> submit(CallPayload call, JobOptions options, Class<T> resultType,
                                          List<Path> classpath, String groupId, Integer groupIndex) {
        Accelerator accelerator = catalog.parse(options.accelerator());
        Settings effective = effectiveSettings(options);
        FunctionNames.Name name = FunctionNames.of(call.function());
        String function = options.displayName() != null ? options.displayName() : name.shortName();
        Map<String, String> env = capturedEnv(options.captureEnv());

        byte[] payload;
        try {
            payload = PayloadFile.write(new PayloadFile.Header(env, options.outputDir()), call);
        } catch (NotSerializableException e) {
            throw new KineticException("the function cannot be shipped: it captures a value of type " + e.getMessage()
                    + ", which is not Serializable. Make that type Serializable, mark the field transient, or create "
                    + "the value inside the function.", e);
        } catch (IOException e) {
            throw new KineticException("the function cannot be serialized: " + e, e);
        }

        Backend backend = backend(effective.backend());
        BlobStore store = store(effective.store());
        if (classpath.isEmpty()) {
            throw new KineticException("the classpath is empty: nothing to run. Pass the jars or class directories "
                    + "that hold your code");
        }
        String id = ids.next(accelerator.idPart(), function);
        JobRecord draft = record(id, function, name.definingClass(), options, effective, store, new ArrayList<>(env.keySet()),
                new JobRecord.Artifact(Hashing.sha256(payload), payload.length, "payload.bin"), List.of(), groupId,
                groupIndex, Map.of());
        Map<String, String> ref = backend.prepare(draft);

        List<JobRecord.Artifact> cp = new ClasspathSnapshot(effective.home().resolve("cache"))
                .snapshot(classpath, store, transferListener);
        store.put(JobLayout.payload(id), payload);
        JobRecord record = record(id, function, name.definingClass(), options, effective, store,
                new ArrayList<>(env.keySet()), draft.payload(), cp, groupId, groupIndex, ref);
        if (!store.putIfAbsent(JobLayout.record(id), record.toJson())) {
            throw new KineticException(id, "a job with id " + id + " already exists in " + store.uri()
                    + "; submit again (ids are random)", null);
        }
        event(store, id, JobEvent.SUBMITTED, Map.of());
        AgentCommand command = new AgentCommand(store.uri().toString(), id, record.payload().sha256(),
                cp.stream().map(JobRecord.Artifact::sha256).toList(), record.jvmArgs());
        try {
            backend.submit(record, command);
        } catch (RuntimeException e) {
            // Ambiguous failures (timeouts) may have created the job: keep it if the backend now knows it.
            LiveState live;
            try {
                live = backend.probe(record);
            } catch (RuntimeException probeFailure) {
                live = LiveState.of(LiveState.Phase.UNKNOWN);
            }
            if (live.phase() == LiveState.Phase.RUNNING || live.phase() == LiveState.Phase.PENDING) {
                return new DefaultJobHandle<>(this, record, store, backend, resultType);
            }
            store.deletePrefix(JobLayout.jobPrefix(id));
            throw e instanceof KineticException k ? k
                    : new KineticException(id, "could not submit job " + id + " to backend " + backend.name() + ": " + e, e);
        }
        return new DefaultJobHandle<>(this, record, store, backend, resultType);
    }

    /**
     * A handle to an existing job in the configured store.
     *
     * @throws JobNotFoundException if the store has no record of it
     */
    public <T> DefaultJobHandle<T> attach(String id, Class<T> resultType) {
        try {
            JobIds.validate(id);
        } catch (IllegalArgumentException e) {
            throw new JobNotFoundException(id, defaultStore().uri() + " (" + e.getMessage() + ")");
        }
        BlobStore store = defaultStore();
        String key = JobLayout.record(id);
        byte[] json = store.get(key).orElseThrow(() -> new JobNotFoundException(id, "store " + store.uri()));
        JobRecord record = JobRecord.fromJson(json, store.uri() + " " + key);
        return new DefaultJobHandle<>(this, record, store, backend(record.backend()), resultType);
    }

    /**
     * Every job in the configured store, newest first, finished ones included. One listing of the store, one
     * read per record, and one backend probe per backend for the jobs still running.
     */
    public List<JobInfo> list(Predicate<JobRecord> filter, int limit) {
        BlobStore store = defaultStore();
        Map<String, List<BlobInfo>> byJob = new TreeMap<>(Comparator.reverseOrder());
        for (BlobInfo b : store.list(JobLayout.JOBS)) {
            String id = JobLayout.jobIdOf(b.key());
            if (id != null) {
                byJob.computeIfAbsent(id, k -> new ArrayList<>()).add(b);
            }
        }
        Map<String, JobInspector.StoreView> views = new LinkedHashMap<>();
        byJob.forEach((id, keys) -> {
            JobInspector.StoreView v = JobInspector.StoreView.of(keys);
            if (v.hasRecord()) {
                views.put(id, v);
            }
        });
        List<JobRecord> records = readRecords(store, new ArrayList<>(views.keySet()));
        records.removeIf(r -> !filter.test(r));
        records.sort(Comparator.comparing(JobRecord::createdAt).reversed().thenComparing(JobRecord::id, Comparator.reverseOrder()));
        if (limit > 0 && records.size() > limit) {
            records = new ArrayList<>(records.subList(0, limit));
        }
        Map<String, List<JobRecord>> live = new HashMap<>();
        for (JobRecord r : records) {
            JobInspector.StoreView v = views.get(r.id());
            if (v.endedType() == null && !v.hasOutcome()) {
                live.computeIfAbsent(r.backend(), b -> new ArrayList<>()).add(r);
            }
        }
        Map<String, LiveState> states = new HashMap<>();
        live.forEach((backendName, rs) -> {
            try {
                states.putAll(backend(backendName).probeAll(rs));
            } catch (KineticException e) {
                rs.forEach(r -> states.put(r.id(), new LiveState(LiveState.Phase.UNKNOWN, e.getMessage(), null, null)));
            }
        });
        List<JobInfo> out = new ArrayList<>();
        for (JobRecord r : records) {
            LiveState state = states.getOrDefault(r.id(), LiveState.of(LiveState.Phase.UNKNOWN));
            JobInspector.StoreView view = views.get(r.id());
            if (state.phase() == LiveState.Phase.EXITED || state.phase() == LiveState.Phase.GONE) {
                // It may have ended between the listing and the probe: look again before calling it a crash.
                view = JobInspector.StoreView.of(store.list(JobLayout.jobPrefix(r.id())));
            }
            out.add(JobInspector.merge(r, view, null, state));
        }
        return out;
    }

    private List<JobRecord> readRecords(BlobStore store, List<String> ids) {
        List<Future<JobRecord>> futures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(16, ids.size() / 64 + 1)));
        try {
            for (String id : ids) {
                futures.add(pool.submit(() -> store.get(JobLayout.record(id))
                        .map(b -> {
                            try {
                                return JobRecord.fromJson(b, JobLayout.record(id));
                            } catch (KineticException corrupt) {
                                return null; // listed by `kinetic jobs status`, which explains it
                            }
                        }).orElse(null)));
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
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof KineticException k ? k : new KineticException("cannot list jobs: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    void event(BlobStore store, String id, String type, Map<String, String> details) {
        Instant now = clock.instant();
        store.put(JobLayout.event(id, now.toEpochMilli(), type), new JobEvent(type, now, details).toJson());
    }

    Clock clock() {
        return clock;
    }

    private Settings effectiveSettings(JobOptions options) {
        if (options.store() == null && options.backend() == null && options.backendSettings().isEmpty()) {
            return settings;
        }
        Map<String, String> explicit = new LinkedHashMap<>(settings.values());
        explicit.putAll(options.backendSettings());
        if (options.store() != null) {
            explicit.put(SettingsResolver.STORE, options.store());
        }
        if (options.backend() != null) {
            explicit.put(SettingsResolver.BACKEND, options.backend());
        }
        explicit.remove(SettingsResolver.PROFILE);
        return new SettingsResolver(settings.environment()).resolve(explicit);
    }

    private Map<String, String> capturedEnv(List<String> patterns) {
        Map<String, String> out = new TreeMap<>();
        for (String p : patterns) {
            if (p.endsWith("*")) {
                String prefix = p.substring(0, p.length() - 1);
                settings.environment().forEach((k, v) -> {
                    if (k.startsWith(prefix)) {
                        out.put(k, v);
                    }
                });
            } else {
                String v = settings.environment().get(p);
                if (v == null) {
                    throw new KineticException("captureEnv names " + p + ", but it is not set in this environment; "
                            + "set it, or capture it by pattern (" + p + "*) to make it optional");
                }
                out.put(p, v);
            }
        }
        return out;
    }

    private JobRecord record(String id, String function, String functionClass, JobOptions options, Settings effective,
                             BlobStore store, List<String> envNames, JobRecord.Artifact payload,
                             List<JobRecord.Artifact> classpath, String groupId, Integer groupIndex, Map<String, String> ref) {
        Map<String, String> backendSettings = new TreeMap<>(options.backendSettings());
        return new JobRecord(JobRecord.SCHEMA, id, function, functionClass, options.accelerator(), effective.backend(),
                store.uri().toString(), clock.instant(), System.getProperty("user.name") + "@" + dev.kinetic.agent.AgentInfo.hostName(),
                options.labels(), envNames, payload, classpath, options.jvmArgs(),
                options.outputDir() != null ? options.outputDir() : JobLayout.outputs(id), options.retries(), groupId,
                groupIndex, backendSettings, ref, VERSION);
    }

    @Override
    public void close() {
        background.shutdownNow();
        backends.values().forEach(Backend::close);
        stores.values().forEach(BlobStore::close);
    }
}
