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
    private volatile java.util.function.BiConsumer<dev.kinetic.SubmitStep, String> submitSteps = (step, id) -> { };

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

    TransferListener transferListener() {
        return transferListener;
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
        Prepared prepared = prepare(call.function(), options);
        byte[] payload;
        try {
            payload = serialize(prepared, call);
            prepared = withClasspath(prepared, classpath);
        } catch (dev.kinetic.store.StoreException e) {
            throw new KineticException(null, "could not upload the job's data or classpath: " + e.getMessage()
                    + "; nothing was started. " + checkTheStore(prepared.settings().store()), e);
        }
        return launch(prepared, payload, null, groupId, groupIndex, resultType);
    }

    /** The way out of a store failure while submitting. */
    private static String checkTheStore(URI store) {
        return "Check that the store " + store + " is reachable (endpoint, network, credentials) and submit again.";
    }

    /**
     * What every job of one function with one set of options shares.
     *
     * @param options the job options
     * @param settings the settings in effect (options applied)
     * @param function the function's short name
     * @param definingClass the class that defines it
     * @param env captured environment values (they travel in the payload header, never in the record)
     * @param classpath the snapshotted classpath; empty until {@link #withClasspath}
     * @param idPart the accelerator's part of job ids
     */
    public record Prepared(JobOptions options, Settings settings, String function, String definingClass,
                           Map<String, String> env, List<JobRecord.Artifact> classpath, String idPart) {}

    /** Validates options and resolves names; writes nothing. */
    public Prepared prepare(Object function, JobOptions options) {
        Accelerator accelerator = catalog.parse(options.accelerator());
        Settings effective = effectiveSettings(options);
        FunctionNames.Name name = FunctionNames.of(function);
        String shortName = options.displayName() != null ? options.displayName() : name.shortName();
        return new Prepared(options, effective, shortName, name.definingClass(), capturedEnv(options.captureEnv()),
                List.of(), accelerator.idPart());
    }

    /** Serializes one call; writes nothing, and names the type that is not serializable. */
    public byte[] serialize(Prepared prepared, CallPayload call) {
        try {
            BlobStore store = store(prepared.settings().store());
            dev.kinetic.data.DataUploader uploader = new dev.kinetic.data.DataUploader(store, transferListener);
            java.util.function.UnaryOperator<dev.kinetic.Data> ship =
                    d -> d.localSource() != null ? d.uploadedAs(uploader.upload(d.localSource())) : d;
            List<PayloadFile.DataRef> refs = new ArrayList<>();
            Map<String, String> volumes = new LinkedHashMap<>();
            prepared.options().volumes().forEach((mount, data) -> {
                dev.kinetic.Data shipped = ship.apply(data);
                refs.add(new PayloadFile.DataRef(shipped.key(), shipped.treeSha256(), shipped.storeUri()));
                volumes.put(mount, shipped.key());
            });
            return PayloadFile.write(new PayloadFile.Header(prepared.env(), prepared.options().outputDir(), refs, volumes),
                    call, ship);
        } catch (NotSerializableException e) {
            throw new KineticException("the function cannot be shipped: it captures a value of type " + e.getMessage()
                    + ", which is not Serializable. Make that type Serializable, mark the field transient, or create "
                    + "the value inside the function.", e);
        } catch (IOException e) {
            throw new KineticException("the function cannot be serialized: " + e, e);
        }
    }

    /** Snapshots the classpath into the store (uploading only what it lacks). */
    public Prepared withClasspath(Prepared p, List<Path> classpath) {
        if (classpath.isEmpty()) {
            throw new KineticException("the classpath is empty: nothing to run. Pass the jars or class directories "
                    + "that hold your code");
        }
        List<JobRecord.Artifact> cp = new ClasspathSnapshot(p.settings().home().resolve("cache"))
                .snapshot(classpath, store(p.settings().store()), transferListener);
        return new Prepared(p.options(), p.settings(), p.function(), p.definingClass(), p.env(), cp, p.idPart());
    }

    /** A fresh job id for this function. */
    public String newId(Prepared p) {
        return ids.next(p.idPart(), p.function());
    }

    /**
     * Records the job (create-only) and starts it on the backend.
     *
     * @param id the job id, or null for a fresh one
     * @throws KineticException if a job with this id already exists
     */
    public <T> DefaultJobHandle<T> launch(Prepared p, byte[] payload, String id, String groupId, Integer groupIndex,
                                          Class<T> resultType) {
        Backend backend = backend(p.settings().backend());
        BlobStore store = store(p.settings().store());
        String jobId = id != null ? id : newId(p);
        List<String> envNames = new ArrayList<>(p.env().keySet());
        JobRecord.Artifact payloadArtifact = new JobRecord.Artifact(Hashing.sha256(payload), payload.length, "payload.bin");
        JobRecord draft = record(jobId, p, store, envNames, payloadArtifact, groupId, groupIndex, Map.of());
        Map<String, String> ref = backend.prepare(draft);
        JobRecord record = record(jobId, p, store, envNames, payloadArtifact, groupId, groupIndex, ref);
        submitSteps.accept(dev.kinetic.SubmitStep.PACKAGED, jobId);
        // The record first: whatever a crash leaves behind from here on is listed, explained and removable.
        if (!store.putIfAbsent(JobLayout.record(jobId), record.toJson())) {
            throw new JobExistsException(jobId, store.uri().toString());
        }
        try {
            store.put(JobLayout.payload(jobId), payload);
            event(store, jobId, JobEvent.SUBMITTED, Map.of());
        } catch (RuntimeException e) {
            try {
                backend.delete(record); // what prepare() made, such as the local state directory
            } catch (RuntimeException ignored) {
                e.addSuppressed(ignored);
            }
            throw unrecorded(store, jobId, e);
        }
        submitSteps.accept(dev.kinetic.SubmitStep.RECORDED, jobId);
        AgentCommand command = new AgentCommand(store.uri().toString(), jobId, record.payload().sha256(),
                record.classpath().stream().map(JobRecord.Artifact::sha256).toList(), record.jvmArgs(), record.retries());
        try {
            backend.submit(record, command);
        } catch (RuntimeException e) {
            // Ambiguous failures (timeouts) may have created the job: keep it if the backend now knows it.
            LiveState live;
            try {
                live = backend.probe(record);
            } catch (RuntimeException probeFailure) {
                // Cannot tell whether the backend created it: keep everything rather than strand a running job.
                throw new KineticException(jobId, "could not confirm whether job " + jobId + " was created on backend "
                        + backend.name() + " (" + e.getMessage() + "); its record and artifacts are kept: check with "
                        + "`kinetic jobs status " + jobId + "` and remove it with `kinetic jobs cleanup " + jobId + "`", e);
            }
            if (live.phase() == LiveState.Phase.RUNNING || live.phase() == LiveState.Phase.PENDING) {
                return new DefaultJobHandle<>(this, record, store, backend, resultType);
            }
            store.deletePrefix(JobLayout.jobPrefix(jobId));
            throw e instanceof KineticException k ? k
                    : new KineticException(jobId, "could not submit job " + jobId + " to backend " + backend.name() + ": " + e, e);
        }
        submitSteps.accept(dev.kinetic.SubmitStep.STARTED, jobId);
        return new DefaultJobHandle<>(this, record, store, backend, resultType);
    }

    /**
     * The payload or the first event could not be stored after the record was: removes the record so no
     * half-submitted job lists, or says how to remove it if the store cannot be reached now either.
     */
    private KineticException unrecorded(BlobStore store, String jobId, RuntimeException cause) {
        String left;
        try {
            store.deletePrefix(JobLayout.jobPrefix(jobId));
            left = "nothing was started and nothing of it is left in the store";
        } catch (RuntimeException cleanupFailed) {
            cause.addSuppressed(cleanupFailed);
            removeWhenReachable(store, jobId);
            left = "nothing was started; its record could not be removed yet and is removed as soon as the store "
                    + "answers while this JVM runs (until then, or if this JVM exits first, it lists as FAILED, never "
                    + "started: remove it with `kinetic jobs cleanup " + jobId + "`)";
        }
        return new KineticException(jobId, "could not store the payload of job " + jobId + ": " + cause.getMessage()
                + "; " + left + ". " + checkTheStore(store.uri()), cause);
    }

    /** Keeps trying, in the background for a few minutes, to remove a failed submission's leftovers. */
    private void removeWhenReachable(BlobStore store, String jobId) {
        background.submit(() -> {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
            long pause = 500;
            while (System.nanoTime() < deadline) {
                try {
                    Thread.sleep(pause);
                    store.deletePrefix(JobLayout.jobPrefix(jobId));
                    return;
                } catch (InterruptedException e) {
                    return; // the session is closing
                } catch (RuntimeException stillUnreachable) {
                    pause = Math.min(pause * 2, 10_000);
                }
            }
        });
    }

    /** Where submission steps are reported (progress for people, crash points for tests). */
    public void submitSteps(java.util.function.BiConsumer<dev.kinetic.SubmitStep, String> listener) {
        this.submitSteps = listener;
    }

    /** A job with this id already exists: ids are random, so this means a resubmission of the same child. */
    public static final class JobExistsException extends KineticException {
        private static final long serialVersionUID = 1L;

        JobExistsException(String id, String store) {
            super(id, "a job with id " + id + " already exists in " + store + "; submit again for a new id", null);
        }
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

    public Clock clock() {
        return clock;
    }

    /** A {@link Prepared} rebuilt from stored facts, to submit a stored payload again (batches, resume). */
    public Prepared restore(JobOptions options, String function, String definingClass, List<String> envNames,
                            List<JobRecord.Artifact> classpath) {
        Map<String, String> names = new LinkedHashMap<>();
        envNames.forEach(n -> names.put(n, ""));
        return new Prepared(options, effectiveSettings(options), function, definingClass, names, classpath,
                catalog.parse(options.accelerator()).idPart());
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

    private JobRecord record(String id, Prepared p, BlobStore store, List<String> envNames, JobRecord.Artifact payload,
                             String groupId, Integer groupIndex, Map<String, String> ref) {
        JobOptions options = p.options();
        return new JobRecord(JobRecord.SCHEMA, id, p.function(), p.definingClass(), options.accelerator(),
                p.settings().backend(), store.uri().toString(), clock.instant(),
                System.getProperty("user.name") + "@" + dev.kinetic.agent.AgentInfo.hostName(), options.labels(), envNames,
                payload, p.classpath(), options.jvmArgs(),
                options.outputDir() != null ? options.outputDir() : JobLayout.outputs(id), options.retries(), groupId,
                groupIndex, new TreeMap<>(options.backendSettings()), ref, VERSION);
    }

    @Override
    public void close() {
        background.shutdownNow();
        backends.values().forEach(Backend::close);
        stores.values().forEach(BlobStore::close);
    }
}
