package dev.kinetic.backend.kubernetes;

import dev.kinetic.KineticException;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.Backend;
import dev.kinetic.spi.ClusterSetup;
import dev.kinetic.spi.DryRun;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.LiveFollow;
import dev.kinetic.spi.LiveState;
import dev.kinetic.spi.Preflight;
import dev.kinetic.spi.WorkerPool;
import dev.kinetic.spi.accelerator.Accelerator;
import dev.kinetic.spi.accelerator.AcceleratorCatalog;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs each job as a Kubernetes {@code batch/v1} Job whose single container is the agent (DESIGN §6). The
 * record, payload, result and store log are the core's, the same as for the local backend; this class only
 * creates, observes and deletes the Job, and reads the pod's log while the pod exists.
 * <pre>{@code
 * KINETIC_BACKEND=kubernetes KINETIC_IMAGE=ghcr.io/acme/kinetic-runtime:0.1 KINETIC_STORE=gs://acme-ml/kinetic
 * }</pre>
 */
public final class KubernetesBackend implements Backend, DryRun, Preflight, ClusterSetup {
    static final String REF_NAMESPACE = "namespace";
    static final String REF_CONTEXT = "context";
    static final String REF_SERVER = "server";
    /** The runtime image built or reused for the job when no {@code image} was set. */
    static final String REF_IMAGE = "image";

    private final Map<String, String> settings;
    private final Map<String, String> environment;
    private final AcceleratorCatalog catalog = AcceleratorCatalog.builtIn();
    private final KubernetesSettings defaults;
    private final RuntimeImageResolver images;
    private final Object connectLock = new Object();
    private volatile KubeClientFactory.Connection connection;
    private volatile ChangeFeed feed;
    /** The version of each job's events when this thread last probed it; awaitChange waits for a newer one. */
    private final ThreadLocal<Map<String, Long>> seenAtProbe = ThreadLocal.withInitial(HashMap::new);

    /**
     * @param settings every resolved setting ({@code namespace}, {@code context}, {@code image}, ...)
     * @param environment where {@code KUBECONFIG} and {@code HOME} are read from
     */
    public KubernetesBackend(Map<String, String> settings, Map<String, String> environment) {
        this.settings = Map.copyOf(settings);
        this.environment = Map.copyOf(environment);
        this.defaults = KubernetesSettings.from(this.settings, Map.of());
        this.images = new RuntimeImageResolver(this.environment);
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    /**
     * Checks everything that can be checked without the cluster before the core writes anything: the
     * settings, the image, the accelerator (single host), that pods can reach the store, and the kubeconfig.
     */
    @Override
    public Map<String, String> prepare(JobRecord draft) {
        KubernetesSettings s = settingsFor(draft);
        if (s.context() != null && !s.context().equals(defaults.context())) {
            throw new KineticException("the context cannot be chosen per job (got '" + s.context() + "', the session "
                    + "uses " + (defaults.context() == null ? "the current context" : "'" + defaults.context() + "'")
                    + "); set KINETIC_CONTEXT or the session's context option instead");
        }
        Accelerator accelerator = catalog.parse(draft.accelerator());
        ImageSettings imageSettings = imageSettings(draft, s);
        StoreReach.check(draft.store(), s);
        new JobSpecBuilder(s).build(draft, AgentCommand.forRecord(draft), accelerator); // fails now, on a bad option
        // An explicit image wins; otherwise build or reuse one now, so a registry that is unreachable or refuses
        // fails the submit before the record is written or the Job created.
        String builtImage =
                s.image() == null ? images.resolve(imageSettings.forCategory(accelerator.kind()), draft.store()) : null;
        ClusterInfo cluster = connection().cluster();
        Map<String, String> ref = new LinkedHashMap<>();
        if (builtImage != null) {
            ref.put(REF_IMAGE, builtImage);
        }
        ref.put(REF_NAMESPACE, s.namespace());
        ref.put(REF_SERVER, cluster.server());
        if (cluster.context() != null) {
            ref.put(REF_CONTEXT, cluster.context());
        }
        return ref;
    }

    /**
     * The Job that {@link #submit} would create for {@code draft}, checked as {@link #prepare} checks it, without
     * connecting to the cluster or building an image: one that would be built shows as the reference it would get.
     */
    @Override
    public List<Map<String, Object>> dryRun(JobRecord draft, AgentCommand command) {
        KubernetesSettings s = settingsFor(draft);
        Accelerator accelerator = catalog.parse(draft.accelerator());
        ImageSettings imageSettings = imageSettings(draft, s);
        StoreReach.check(draft.store(), s);
        if (s.image() == null) {
            s = s.withImage(images.planned(imageSettings.forCategory(accelerator.kind()), draft.store()));
        }
        Job job = new JobSpecBuilder(s).build(draft, command, accelerator);
        job.getMetadata().setNamespace(namespace(draft));
        CapturedEnvSecret.reference(job, draft, draft.envNames());
        List<Map<String, Object>> objects = new ArrayList<>();
        objects.add(Manifests.asMap(job));
        if (draft.hosts() > 1) {
            objects.add(Manifests.asMap(MultiHostSpec.service(job, draft)));
        }
        if (!draft.envNames().isEmpty()) {
            // The values are never shown: the Secret the job would get, with its keys and redacted values.
            objects.add(Manifests.asMap(CapturedEnvSecret.redacted(draft, namespace(draft), draft.envNames())));
        }
        return objects;
    }

    /** The checks of {@code kinetic doctor} ({@link ClusterChecks}); they change nothing. */
    @Override
    public List<Preflight.Check> preflight(String storeUri, String accelerator) {
        return new ClusterChecks(defaults, ImageSettings.from(settings, Map.of()), environment, catalog)
                .run(this::connection, storeUri, accelerator);
    }

    @Override
    public List<Map<String, String>> nodeLabels() {
        List<Map<String, String>> out = new ArrayList<>();
        try {
            for (io.fabric8.kubernetes.api.model.Node n :
                    client().nodes().list().getItems()) {
                out.add(
                        n.getMetadata().getLabels() == null
                                ? Map.of()
                                : n.getMetadata().getLabels());
            }
        } catch (KubernetesClientException e) {
            throw KubernetesErrors.map(e, "list", "nodes", "(cluster-wide)", null, cluster());
        }
        return out;
    }

    /** The set-up objects ({@link ClusterSetupPlan}) and the commands that need more rights; contacts nothing. */
    @Override
    public ClusterSetup.Plan plan(ClusterSetup.Request request) {
        ClusterSetupPlan.check(request);
        List<Map<String, Object>> objects = new ArrayList<>();
        for (var o : ClusterSetupPlan.objects(request)) {
            objects.add(Manifests.asMap(o));
        }
        String contextFlag = defaults.context() == null ? "" : " --context " + defaults.context();
        return new ClusterSetup.Plan(objects, ClusterSetupPlan.steps(request, contextFlag));
    }

    @Override
    public List<ClusterSetup.Change> apply(ClusterSetup.Request request) {
        ClusterSetupPlan.check(request);
        return new ClusterSetupApplier(client(), cluster()).apply(ClusterSetupPlan.objects(request));
    }

    /** The image settings, or an error when neither an image nor a registry to build one in is set. */
    private ImageSettings imageSettings(JobRecord draft, KubernetesSettings s) {
        ImageSettings imageSettings = ImageSettings.from(settings, draft.backendSettings());
        if (s.image() == null && imageSettings.registry() == null) {
            throw new KineticException(
                    "no image for the Kubernetes backend: set KINETIC_IMAGE (or the image option) to "
                            + "an image with java 17+ on its PATH and Kinetic's agent jars in " + s.agentClasspath()
                            + ", or KINETIC_REGISTRY (option registry) to a REGISTRY/REPOSITORY where Kinetic builds and pushes "
                            + "one (see kinetic-kubernetes/README.md)");
        }
        return imageSettings;
    }

    @Override
    public void submit(JobRecord record, AgentCommand command) {
        submit(record, command, Map.of());
    }

    /**
     * With captured values, a Secret is created just before the Job and the container reads the values from it; the
     * Secret is then made the Job's, so it goes with it. A submission that fails after creating it deletes it.
     */
    @Override
    public void submit(JobRecord record, AgentCommand command, Map<String, String> capturedEnvironment) {
        createWithSecret(record, capturedEnvironment, names -> create(record, command, names));
    }

    /**
     * Creates a Job through {@code create}, which makes its container read the variables it is given from the Secret
     * {@link CapturedEnvSecret#name}({@code record}): a job's, or a batch's worker Job's. The Secret holding {@code
     * captured} is created first (none when it is empty) and made the Job's once the Job exists, so it goes with it; a
     * Job that cannot be created takes the Secret with it.
     */
    private void createWithSecret(
            JobRecord record, Map<String, String> captured, java.util.function.Function<List<String>, Job> create) {
        if (captured.isEmpty()) {
            Job unused = create.apply(List.of()); // nothing to make the Job's
            return;
        }
        String namespace = namespace(record);
        var secrets = client().secrets().inNamespace(namespace);
        try {
            secrets.resource(CapturedEnvSecret.of(record, namespace, captured)).createOr(op -> op.update());
        } catch (KubernetesClientException e) {
            throw KubernetesErrors.map(e, "create", "secrets", namespace, CapturedEnvSecret.name(record), cluster());
        }
        Job job;
        try {
            job = create.apply(List.copyOf(new java.util.TreeSet<>(captured.keySet())));
        } catch (RuntimeException e) {
            deleteSecret(record, namespace, e);
            throw e;
        }
        try {
            secrets.withName(CapturedEnvSecret.name(record)).edit(sec -> {
                sec.getMetadata().setOwnerReferences(List.of(CapturedEnvSecret.ownedBy(job)));
                return sec;
            });
        } catch (KubernetesClientException e) {
            // The Job runs; cleanup deletes the Secret explicitly too, so an unowned one does not outlive it there.
        }
    }

    private void deleteSecret(JobRecord record, String namespace, RuntimeException cause) {
        try {
            client().secrets()
                    .inNamespace(namespace)
                    .withName(CapturedEnvSecret.name(record))
                    .delete();
        } catch (KubernetesClientException e) {
            cause.addSuppressed(e);
        }
    }

    /** Creates the Job (and a multi-host job's Service); returns the Job as the server has it. */
    private Job create(JobRecord record, AgentCommand command, List<String> capturedNames) {
        KubernetesSettings s = settingsFor(record);
        if (s.image() == null && record.backendRef().containsKey(REF_IMAGE)) {
            s = s.withImage(record.backendRef().get(REF_IMAGE));
        }
        String namespace = namespace(record);
        Job job = new JobSpecBuilder(s).build(record, command, catalog.parse(record.accelerator()));
        job.getMetadata().setNamespace(namespace);
        CapturedEnvSecret.reference(job, record, capturedNames);
        var jobs = client().batch().v1().jobs().inNamespace(namespace);
        try {
            Job created = jobs.resource(job).create();
            if (record.hosts() > 1) {
                createService(created, record, namespace);
            }
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && !KubernetesErrors.isAmbiguous(e)) {
                throw KubernetesErrors.map(
                        e, "create", "jobs", namespace, record.id().value(), cluster());
            }
            // A timeout or a retried request may have created it: it is ours if it carries our id and payload.
            Job existing;
            try {
                existing = jobs.withName(record.id().value()).get();
            } catch (KubernetesClientException checkFailed) {
                throw new KineticException(
                        record.id().value(),
                        "could not tell whether Job " + record.id().value() + " was created in "
                                + "namespace " + namespace + " (" + e.getMessage() + "; checking failed too: "
                                + checkFailed.getMessage() + "); look with `kubectl"
                                + cluster().contextFlag() + " get job "
                                + record.id().value() + " -n " + namespace + "`",
                        e);
            }
            if (existing != null && isOurs(existing, record)) {
                if (record.hosts() > 1) {
                    createService(existing, record, namespace);
                }
                return existing;
            }
            throw KubernetesErrors.map(
                    e, "create", "jobs", namespace, record.id().value(), cluster());
        }
    }

    /**
     * The multi-host job's headless Service, owned by its Job. If it cannot be created the Job is deleted again, so a
     * refused submission leaves nothing running whose hosts could not find each other.
     */
    private void createService(Job job, JobRecord record, String namespace) {
        var services = client().services().inNamespace(namespace);
        try {
            services.resource(MultiHostSpec.service(job, record)).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return; // created by an earlier, retried request
            }
            try {
                client().batch()
                        .v1()
                        .jobs()
                        .inNamespace(namespace)
                        .withName(record.id().value())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                        .delete();
            } catch (KubernetesClientException cleanupFailed) {
                e.addSuppressed(cleanupFailed);
            }
            throw KubernetesErrors.map(
                    e, "create", "services", namespace, MultiHostSpec.serviceName(record), cluster());
        }
    }

    @Override
    public LiveState probe(JobRecord record) {
        Optional<LiveState> foreign = foreignCluster(record);
        if (foreign.isPresent()) {
            return foreign.get();
        }
        String namespace = namespace(record);
        if (WorkerJobs.isInput(record)) {
            return probeInput(record, namespace);
        }
        seenAtProbe
                .get()
                .put(record.id().value(), feed().version(namespace, record.id().value()));
        try {
            Job job = client().batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .withName(record.id().value())
                    .get();
            List<Pod> pods =
                    job == null ? List.of() : pods(namespace, record.id().value());
            return pendingReasons(record, namespace, job, pods, state(record, job, pods));
        } catch (KubernetesClientException e) {
            return unknownOrThrow(e, "get", "jobs", namespace, record.id().value());
        }
    }

    /** One list of Jobs and one of pods per namespace, whatever the number of jobs. */
    @Override
    public Map<JobId, LiveState> probeAll(Collection<JobRecord> records) {
        Map<String, List<JobRecord>> byNamespace = new LinkedHashMap<>();
        Map<JobId, LiveState> out = new LinkedHashMap<>();
        for (JobRecord r : records) {
            Optional<LiveState> foreign = foreignCluster(r);
            if (foreign.isPresent()) {
                out.put(r.id(), foreign.get());
            } else {
                byNamespace
                        .computeIfAbsent(namespace(r), n -> new ArrayList<>())
                        .add(r);
            }
        }
        byNamespace.forEach((namespace, rs) -> {
            try {
                Map<String, Job> jobs = new HashMap<>();
                for (Job j : client().batch()
                        .v1()
                        .jobs()
                        .inNamespace(namespace)
                        .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                        .list()
                        .getItems()) {
                    jobs.put(j.getMetadata().getName(), j);
                }
                Map<String, List<Pod>> pods = new HashMap<>();
                Map<String, Pod> podsByName = new HashMap<>();
                for (Pod p : client().pods()
                        .inNamespace(namespace)
                        .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                        .list()
                        .getItems()) {
                    String id = p.getMetadata().getLabels().get(Labels.JOB_ID);
                    pods.computeIfAbsent(id, k -> new ArrayList<>()).add(p);
                    podsByName.put(p.getMetadata().getName(), p);
                }
                PendingJobs pending = new PendingJobs(client());
                List<io.fabric8.kubernetes.api.model.Event> events = null; // listed once, if any job is pending
                for (JobRecord r : rs) {
                    String workerPod = r.backendRef().get(WorkerJobs.REF_WORKER_POD);
                    if (workerPod != null) {
                        out.put(r.id(), WorkerJobs.inputState(workerPod, podsByName.get(workerPod)));
                        continue;
                    }
                    Job job = jobs.get(r.id().value());
                    List<Pod> jobPods = pods.getOrDefault(r.id().value(), List.of());
                    LiveState state = state(r, job, jobPods);
                    if (job != null && state.phase() == LiveState.Phase.PENDING) {
                        events = events != null ? events : namespaceEventsOrEmpty(pending, namespace);
                        state = pending.refine(
                                namespace, job, jobPods, state, settingsFor(r).pendingTimeoutSeconds(), events);
                    }
                    out.put(r.id(), state);
                }
            } catch (KubernetesClientException e) {
                LiveState unknown = unknownOrThrow(e, "list", "jobs", namespace, null);
                rs.forEach(r -> out.put(r.id(), unknown));
            }
        });
        return out;
    }

    /** One live state per job: a multi-host job's is its gang's ({@link GangState}). */
    private static LiveState state(JobRecord record, Job job, List<Pod> pods) {
        return record.hosts() > 1 ? GangState.map(job, pods, record.hosts()) : JobStateMapper.map(job, pods);
    }

    @Override
    public Optional<List<String>> tailLive(JobRecord record, int lines) {
        return tailLive(record, lines, 0);
    }

    @Override
    public Optional<List<String>> tailLive(JobRecord record, int lines, int host) {
        if (foreignCluster(record).isPresent()) {
            return Optional.empty();
        }
        String namespace = namespace(record);
        try {
            Pod pod = newestPod(namespace, record, host);
            if (pod == null) {
                return Optional.empty();
            }
            try (InputStream in = new PodLogClient(client())
                    .open(
                            namespace,
                            pod.getMetadata().getName(),
                            new PodLogClient.Query(false, false, null, lines == Integer.MAX_VALUE ? null : lines),
                            cluster())) {
                return Optional.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .lines()
                        .toList());
            }
        } catch (PodLogClient.PodGone | PodLogClient.NotStarted | IOException e) {
            return Optional.empty(); // the store log has whatever the agent wrote
        } catch (KubernetesClientException e) {
            if (KubernetesErrors.isTransient(e)) {
                return Optional.empty();
            }
            throw KubernetesErrors.map(e, "list", "pods", namespace, record.id().value(), cluster());
        }
    }

    /**
     * Streams the pod's log while the pod exists. When the pod goes away in the middle (TTL, cleanup), the
     * rest comes from the store log, skipping as many lines as were already delivered.
     */
    @Override
    public LiveFollow followLive(JobRecord record, Consumer<String> sink) {
        return followLive(record, 0, sink);
    }

    @Override
    public LiveFollow followLive(JobRecord record, int host, Consumer<String> sink) {
        if (foreignCluster(record).isPresent() || WorkerJobs.isInput(record)) {
            return LiveFollow.notLive(); // an input's own output is in the store; its worker pod's log holds many
        }
        String namespace = namespace(record);
        PodLogFollower.Result result;
        try {
            result = new PodLogFollower(new PodLogClient(client()), cluster())
                    .follow(namespace, pods(record, host), sink);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KineticException(
                    record.id().value(), "interrupted while following the log of job " + record.id(), e);
        }
        if (result.complete()) {
            return LiveFollow.completed();
        }
        // The pod went away midway (TTL, cleanup): the core continues from the store log.
        return result.delivered() == 0 ? LiveFollow.notLive() : LiveFollow.interrupted(result.delivered());
    }

    /** Waiters block on the Job and pod watches (see {@link #awaitChange}), so they need not poll. */
    @Override
    public boolean watchesChanges() {
        return true;
    }

    @Override
    public void awaitChange(JobRecord record, Duration max) throws InterruptedException {
        if (foreignCluster(record).isPresent()) {
            // No watch on another cluster's Job: look again soon (the store still shows the outcome).
            Thread.sleep(Math.max(1, Math.min(1000, max.toMillis())));
            return;
        }
        String namespace = namespace(record);
        Long seen = seenAtProbe.get().get(record.id().value());
        feed().await(
                        namespace,
                        record.id().value(),
                        seen != null
                                ? seen
                                : feed().version(namespace, record.id().value()),
                        max);
    }

    /** Deletes the Job (its pods get SIGTERM; the agent records the cancellation) and confirms it is gone. */
    @Override
    public void cancel(JobRecord record) {
        deleteAndConfirm(record, "cancel");
    }

    @Override
    public void delete(JobRecord record) {
        deleteAndConfirm(record, "clean up");
    }

    private void deleteAndConfirm(JobRecord record, String why) {
        requireSameCluster(record, why);
        String namespace = namespace(record);
        try {
            // Foreground: the Job is removed only after its pods, so "gone" below means the pods are gone too.
            client().batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .withName(record.id().value())
                    .withPropagationPolicy(DeletionPropagation.FOREGROUND)
                    .delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw KubernetesErrors.map(
                        e, "delete", "jobs", namespace, record.id().value(), cluster());
            }
        }
        if (record.hosts() > 1) {
            deleteService(record, namespace);
        }
        // Owned by the Job, so the garbage collector removes it; explicitly too, as the Service.
        if (!record.envNames().isEmpty()) {
            deleteSecret(record, namespace, new RuntimeException("ignored: the Secret goes with its Job anyway"));
        }
        int timeout = settingsFor(record).deleteTimeoutSeconds();
        long deadline = System.nanoTime() + timeout * 1_000_000_000L;
        List<String> left = List.of();
        while (true) {
            long version = feed().version(namespace, record.id().value());
            try {
                Job job = client().batch()
                        .v1()
                        .jobs()
                        .inNamespace(namespace)
                        .withName(record.id().value())
                        .get();
                List<Pod> pods = pods(namespace, record.id().value());
                boolean service = record.hosts() > 1
                        && client().services()
                                        .inNamespace(namespace)
                                        .withName(MultiHostSpec.serviceName(record))
                                        .get()
                                != null;
                if (job == null && pods.isEmpty() && !service) {
                    return;
                }
                left = new ArrayList<>();
                if (job != null) {
                    left.add("job/" + record.id().value());
                }
                if (service) {
                    left.add("service/" + MultiHostSpec.serviceName(record));
                }
                for (Pod p : pods) {
                    left.add("pod/" + p.getMetadata().getName());
                }
            } catch (KubernetesClientException e) {
                if (!KubernetesErrors.isTransient(e)) {
                    throw KubernetesErrors.map(
                            e, "get", "jobs", namespace, record.id().value(), cluster());
                }
            }
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                throw new KineticException(
                        record.id().value(),
                        "could not " + why + " job " + record.id().value() + ": its deletion was "
                                + "accepted, but after " + timeout + " s " + String.join(", ", left)
                                + " still exist(s) in "
                                + "namespace " + namespace + " (pods still terminating?); look with `kubectl"
                                + cluster().contextFlag()
                                + " get jobs,pods -n " + namespace + " -l " + Labels.JOB_ID + "="
                                + record.id().value()
                                + "` and run the cleanup again",
                        null);
            }
            try {
                feed().await(namespace, record.id().value(), version, Duration.ofMillis(Math.min(remaining, 1000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KineticException(
                        record.id().value(),
                        "interrupted while waiting for job " + record.id().value()
                                + " to be deleted; it may still be terminating",
                        e);
            }
        }
    }

    // ---- Batch workers: one work-queue Job per batch (WorkerJobSpec), each pod a worker (issue 16).

    @Override
    public boolean runsWorkers() {
        return true;
    }

    @Override
    public WorkerPool prepareWorkers(WorkerPool draft) {
        return WorkerJobs.prepare(draft);
    }

    /**
     * Creates the worker Job. The batch's captured values go into a Secret {@code kinetic-<batch>-workers-<generation>}
     * owned by that Job, which every worker pod reads through {@code secretKeyRef}, as a single job's agent does.
     */
    @Override
    public void startWorkers(WorkerPool pool, AgentCommand command, Map<String, String> capturedEnvironment) {
        JobRecord record = poolRecord(pool);
        createWithSecret(record, capturedEnvironment, names -> createWorkers(pool, record, command, names));
    }

    private Job createWorkers(WorkerPool pool, JobRecord record, AgentCommand command, List<String> capturedNames) {
        KubernetesSettings s = settingsFor(record);
        if (s.image() == null && record.backendRef().containsKey(REF_IMAGE)) {
            s = s.withImage(record.backendRef().get(REF_IMAGE));
        }
        String namespace = namespace(record);
        Accelerator accelerator = catalog.parse(record.accelerator());
        if (accelerator.hosts() > 1) {
            // The core runs a multi-host batch's inputs as jobs of their own (a worker is one host); never here.
            throw new KineticException("batch " + pool.batchId() + ": a worker runs on one host, but accelerator '"
                    + record.accelerator() + "' spans " + accelerator.hosts() + " hosts");
        }
        Job job = WorkerJobSpec.build(s, pool, command, accelerator);
        job.getMetadata().setNamespace(namespace);
        CapturedEnvSecret.reference(job, record, capturedNames);
        var jobs = client().batch().v1().jobs().inNamespace(namespace);
        try {
            return jobs.resource(job).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && !KubernetesErrors.isAmbiguous(e)) {
                throw KubernetesErrors.map(e, "create", "jobs", namespace, pool.name(), cluster());
            }
            Job existing = jobs.withName(pool.name()).get();
            if (existing == null
                    || existing.getMetadata().getLabels() == null
                    || !pool.batchId().equals(existing.getMetadata().getLabels().get(Labels.BATCH_ID))) {
                throw KubernetesErrors.map(e, "create", "jobs", namespace, pool.name(), cluster());
            }
            return existing;
        }
    }

    @Override
    public LiveState probeWorkers(WorkerPool pool) {
        JobRecord record = poolRecord(pool);
        Optional<LiveState> foreign = foreignCluster(record);
        if (foreign.isPresent()) {
            return foreign.get();
        }
        String namespace = namespace(record);
        try {
            Job job = client().batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .withName(pool.name())
                    .get();
            return WorkerJobs.poolState(job, job == null ? List.of() : pods(namespace, pool.name()));
        } catch (KubernetesClientException e) {
            return unknownOrThrow(e, "get", "jobs", namespace, pool.name());
        }
    }

    /** Deletes the worker Job (its pods get SIGTERM: each worker records its input as cancelled, if it was). */
    @Override
    public void stopWorkers(WorkerPool pool) {
        deleteAndConfirm(poolRecord(pool), "stop the workers of batch " + pool.batchId() + ", as");
    }

    /** The pool as a record named after it (its Job's and Secret's name): {@code pool.template()} is the latest's. */
    private static JobRecord poolRecord(WorkerPool pool) {
        return pool.template().toBuilder()
                .id(JobId.of(pool.name()))
                .backendRef(pool.backendRef())
                .build();
    }

    private LiveState probeInput(JobRecord record, String namespace) {
        String podName = record.backendRef().get(WorkerJobs.REF_WORKER_POD);
        try {
            Pod pod = client().pods().inNamespace(namespace).withName(podName).get();
            return WorkerJobs.inputState(podName, pod);
        } catch (KubernetesClientException e) {
            return unknownOrThrow(e, "get", "pods", namespace, podName);
        }
    }

    /**
     * The headless Service goes with its Job (it is owned by it), but a cluster's garbage collector may take its time
     * and some API servers have none: it is deleted explicitly too.
     */
    private void deleteService(JobRecord record, String namespace) {
        try {
            client().services()
                    .inNamespace(namespace)
                    .withName(MultiHostSpec.serviceName(record))
                    .delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw KubernetesErrors.map(
                        e, "delete", "services", namespace, MultiHostSpec.serviceName(record), cluster());
            }
        }
    }

    @Override
    public void close() {
        synchronized (connectLock) {
            if (feed != null) {
                feed.close();
            }
            if (connection != null) {
                connection.client().close();
            }
        }
    }

    private PodLogFollower.Pods pods(JobRecord record, int host) {
        String namespace = namespace(record);
        return new PodLogFollower.Pods() {
            @Override
            public Pod newest() {
                return newestPod(namespace, record, host);
            }

            @Override
            public boolean jobExists() {
                return client().batch()
                                .v1()
                                .jobs()
                                .inNamespace(namespace)
                                .withName(record.id().value())
                                .get()
                        != null;
            }

            @Override
            public void awaitChange(long millis) throws InterruptedException {
                long version = feed().version(namespace, record.id().value());
                feed().await(namespace, record.id().value(), version, Duration.ofMillis(millis));
            }
        };
    }

    private List<Pod> pods(String namespace, String jobId) {
        return client().pods()
                .inNamespace(namespace)
                .withLabel(Labels.JOB_ID, jobId)
                .list()
                .getItems();
    }

    /** The newest pod of the job, of host {@code host}'s index for a multi-host job. */
    private Pod newestPod(String namespace, JobRecord record, int host) {
        Pod newest = null;
        for (Pod p : pods(namespace, record.id().value())) {
            if (record.hosts() > 1 && GangState.index(p) != host) {
                continue;
            }
            if (newest == null
                    || String.valueOf(p.getMetadata().getCreationTimestamp())
                                    .compareTo(
                                            String.valueOf(newest.getMetadata().getCreationTimestamp()))
                            > 0) {
                newest = p;
            }
        }
        return newest;
    }

    /** A PENDING job's reason from its Events; past {@code pending-timeout} for a lasting reason, its end. */
    private LiveState pendingReasons(JobRecord record, String namespace, Job job, List<Pod> pods, LiveState state) {
        if (job == null || state.phase() != LiveState.Phase.PENDING) {
            return state;
        }
        return new PendingJobs(client())
                .refine(namespace, job, pods, state, settingsFor(record).pendingTimeoutSeconds());
    }

    private static List<io.fabric8.kubernetes.api.model.Event> namespaceEventsOrEmpty(
            PendingJobs pending, String namespace) {
        try {
            return pending.namespaceEvents(namespace);
        } catch (KubernetesClientException e) {
            return List.of(); // no permission to list events: the pods' own status still says a lot
        }
    }

    private LiveState unknownOrThrow(
            KubernetesClientException e, String verb, String resource, String namespace, String id) {
        KineticException mapped = KubernetesErrors.map(e, verb, resource, namespace, id, cluster());
        if (KubernetesErrors.isTransient(e)) {
            // The cluster is briefly unreachable: the status falls back to what the store says.
            return new LiveState(LiveState.Phase.UNKNOWN, mapped.getMessage(), null, null);
        }
        throw mapped;
    }

    /**
     * A job submitted to another cluster than this session's: asking this one would wrongly say it is gone.
     */
    private Optional<LiveState> foreignCluster(JobRecord record) {
        String server = record.backendRef().get(REF_SERVER);
        if (server == null || server.equals(cluster().server())) {
            return Optional.empty();
        }
        String context = record.backendRef().get(REF_CONTEXT);
        return Optional.of(new LiveState(
                LiveState.Phase.UNKNOWN,
                "job " + record.id().value() + " runs on cluster " + server
                        + (context == null ? "" : " (context " + context + ")") + ", but this session uses " + cluster()
                        + "; set KINETIC_CONTEXT" + (context == null ? "" : "=" + context) + " to see it",
                null,
                null));
    }

    private void requireSameCluster(JobRecord record, String why) {
        Optional<LiveState> foreign = foreignCluster(record);
        if (foreign.isPresent()) {
            throw new KineticException(
                    record.id().value(),
                    "cannot " + why + " job " + record.id().value() + ": "
                            + foreign.get().reason(),
                    null);
        }
    }

    private static boolean isOurs(Job job, JobRecord record) {
        Map<String, String> labels = job.getMetadata().getLabels();
        Map<String, String> annotations = job.getMetadata().getAnnotations();
        return labels != null
                && record.id().value().equals(labels.get(Labels.JOB_ID))
                && annotations != null
                && record.payload().sha256().equals(annotations.get(Labels.PAYLOAD_ANNOTATION));
    }

    private String namespace(JobRecord record) {
        String ns = record.backendRef().get(REF_NAMESPACE);
        return ns != null ? ns : settingsFor(record).namespace();
    }

    private KubernetesSettings settingsFor(JobRecord record) {
        return record.backendSettings().isEmpty()
                ? defaults
                : KubernetesSettings.from(settings, record.backendSettings());
    }

    private KubernetesClient client() {
        return connection().client();
    }

    private ClusterInfo cluster() {
        return connection().cluster();
    }

    private ChangeFeed feed() {
        connection();
        return feed;
    }

    private KubeClientFactory.Connection connection() {
        KubeClientFactory.Connection c = connection;
        if (c != null) {
            return c;
        }
        synchronized (connectLock) {
            if (connection == null) {
                KubeClientFactory.Connection created = KubeClientFactory.connect(defaults.context(), environment);
                feed = new ChangeFeed(created.client());
                connection = created;
            }
            return connection;
        }
    }
}
