package dev.kinetic.backend.kubernetes.testnode;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A kubelet and Job controller for the mock API server. It watches Jobs; for each new one it creates the pod
 * (ownerReference and controller labels as the Job controller sets them), runs the pod's container as a local
 * process ({@link ContainerTranslation}), keeps its output as the pod log, and writes pod and Job status as
 * the kubelet and the Job controller would: Pending (ContainerCreating) → Running → Succeeded/Failed with the
 * exit code, then the Job's Complete or Failed condition. When a Job is deleted it stops the process (SIGTERM,
 * then SIGKILL) and deletes the pod, as garbage collection would; it deletes finished Jobs after their
 * {@code ttlSecondsAfterFinished}. Only scheduling is simulated; other behaviours are chosen per Job:
 * unschedulable, image pull failure, or an out-of-memory kill.
 *
 * <p>In container mode ({@link #startWithPodman}) the container is not translated into a local process: its
 * real image is pulled and run with podman ({@link PodmanRunner}), and a Job deletion stops it with
 * {@code podman stop}. The out-of-memory behaviour is not available there.
 */
public final class TestNode implements AutoCloseable {
    /** What happens to a Job's pod. */
    public enum Mode {
        RUN,
        UNSCHEDULABLE,
        IMAGE_PULL_ERROR,
        OOM_KILL,
        /** The Job controller cannot create the pod (here: its service account is missing): a FailedCreate Event. */
        FAILED_CREATE,
        /** Unschedulable, and the cluster autoscaler is adding a node for it: a TriggeredScaleUp Event. */
        SCALE_UP
    }

    /**
     * @param mode what happens
     * @param trigger for {@link Mode#OOM_KILL}: the output line text that sets off the kill
     * @param index for an Indexed Job, the only index it happens to (the others run); -1 for every pod
     */
    public record Behaviour(Mode mode, String trigger, int index) {
        public Behaviour(Mode mode, String trigger) {
            this(mode, trigger, -1);
        }

        public static Behaviour run() {
            return new Behaviour(Mode.RUN, null);
        }

        public static Behaviour of(Mode mode) {
            return new Behaviour(mode, null);
        }

        /** {@code mode} for the pod of index {@code index} of an Indexed Job; its other pods run. */
        public static Behaviour atIndex(Mode mode, int index) {
            return new Behaviour(mode, null, index);
        }

        public static Behaviour oomKillOn(String trigger) {
            return new Behaviour(Mode.OOM_KILL, trigger);
        }

        Behaviour forIndex(int i) {
            return index < 0 || index == i ? this : run();
        }
    }

    private static final long TERMINATION_GRACE_SECONDS = 20;
    private static final String NODE_NAME = "test-node-1";

    private final KubernetesClient client;
    private final PodLogs logs;
    private final Path workRoot;
    private final String imageAgentClasspath;
    /** Null: containers run as local processes. */
    private final PodmanRunner podman;

    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final Map<String, Path> terminationFiles = new ConcurrentHashMap<>();
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    /** Indexed Jobs by uid. */
    private final Map<String, Gang> gangs = new ConcurrentHashMap<>();
    /** Work-queue Jobs by uid: their pods, successes and failures, as the Job controller tracks them. */
    private final Map<String, WorkQueue> workQueues = new ConcurrentHashMap<>();

    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-node");
        t.setDaemon(true);
        return t;
    });
    private volatile Function<Job, Behaviour> behaviour = job -> Behaviour.run();
    private Watch watch;

    private TestNode(
            KubernetesClient client, PodLogs logs, Path workRoot, String imageAgentClasspath, PodmanRunner podman) {
        this.client = client;
        this.logs = logs;
        this.workRoot = workRoot;
        this.imageAgentClasspath = imageAgentClasspath;
        this.podman = podman;
    }

    /** Starts watching the cluster's Jobs; containers run as local processes. */
    public static TestNode start(MockCluster cluster, Path workRoot, String imageAgentClasspath) {
        return watch(new TestNode(cluster.client(), cluster.logs(), workRoot, imageAgentClasspath, null));
    }

    /** Starts watching the cluster's Jobs; containers run for real, from their images, with podman. */
    public static TestNode startWithPodman(MockCluster cluster, Path workRoot, PodmanRunner podman) {
        return watch(new TestNode(cluster.client(), cluster.logs(), workRoot, null, podman));
    }

    private static TestNode watch(TestNode node) {
        node.watch = node.client.batch().v1().jobs().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED
                        && node.admitted.add(job.getMetadata().getUid())) {
                    node.executor.submit(() -> node.guard(job, () -> node.admit(job)));
                } else if (action == Action.DELETED) {
                    node.executor.submit(() -> node.guard(job, () -> node.collect(job)));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                node.errors.add("the node's Job watch closed: " + cause);
            }
        });
        return node;
    }

    /** Chooses the behaviour for Jobs created from now on. */
    public void behaviour(Function<Job, Behaviour> choose) {
        this.behaviour = choose;
    }

    /** Forgets earlier errors (between tests that share the node). */
    public void clearErrors() {
        errors.clear();
    }

    /** Everything the node could not do; a test asserts it is empty. */
    public List<String> errors() {
        return errors;
    }

    /**
     * What the kubelet does when a pod is disrupted (spot reclaim, node drain): SIGTERM to the container's process,
     * then SIGKILL once the pod's {@code terminationGracePeriodSeconds} (Kubernetes' default, 30, when unset) has
     * passed. Returns how long the process took to exit, or empty if it had to be killed.
     */
    public java.util.Optional<java.time.Duration> disrupt(String namespace, String jobName) throws Exception {
        for (var e : processes.entrySet()) {
            if (e.getKey().startsWith(namespace + "/" + jobName + "-")
                    && e.getValue().isAlive()) {
                Pod pod = client.pods()
                        .inNamespace(namespace)
                        .withName(e.getKey().substring(namespace.length() + 1))
                        .get();
                Long grace = pod == null ? null : pod.getSpec().getTerminationGracePeriodSeconds();
                Process p = e.getValue();
                long start = System.nanoTime();
                p.destroy(); // SIGTERM
                if (p.waitFor(grace == null ? 30 : grace, TimeUnit.SECONDS)) {
                    return java.util.Optional.of(java.time.Duration.ofNanos(System.nanoTime() - start));
                }
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return java.util.Optional.empty();
            }
        }
        throw new IllegalStateException("no running process for Job " + namespace + "/" + jobName);
    }

    /** Whether a process still runs for the Job with this name. */
    public boolean isRunning(String namespace, String jobName) {
        return processes.entrySet().stream()
                .anyMatch(e -> e.getKey().startsWith(namespace + "/" + jobName + "-")
                        && e.getValue().isAlive());
    }

    private void admit(Job job) throws Exception {
        Behaviour b = behaviour.apply(job);
        if (WorkQueue.is(job)) {
            // A work-queue Job (parallelism set, no completions): that many pods at once, each like a single Job's.
            workQueues.put(uid(job), new WorkQueue(job));
            for (int i = 0; i < job.getSpec().getParallelism(); i++) {
                executor.submit(() -> guard(job, () -> admitPod(job, b, null, -1)));
            }
            return;
        }
        IndexedPods indexed = IndexedPods.of(job);
        if (indexed == null) {
            admitPod(job, b, null, -1);
            return;
        }
        // The Job controller creates every index's pod at once; each runs as its own process.
        gangs.put(job.getMetadata().getUid(), new Gang(indexed));
        for (int i = 0; i < indexed.completions(); i++) {
            int index = i;
            executor.submit(() -> guard(job, () -> admitPod(job, b.forIndex(index), indexed, index)));
        }
    }

    private void admitPod(Job job, Behaviour b, IndexedPods indexed, int index) throws Exception {
        String ns = job.getMetadata().getNamespace();
        String jobName = job.getMetadata().getName();
        if (b.mode() == Mode.FAILED_CREATE) {
            failedCreate(job);
            return;
        }
        String podName = jobName + (indexed == null ? "" : "-" + index) + "-"
                + Long.toString(System.nanoTime() % 60_466_176L, 36);
        Map<String, String> labels = new LinkedHashMap<>();
        if (job.getSpec().getTemplate().getMetadata() != null
                && job.getSpec().getTemplate().getMetadata().getLabels() != null) {
            labels.putAll(job.getSpec().getTemplate().getMetadata().getLabels());
        }
        labels.put("controller-uid", job.getMetadata().getUid());
        labels.put("job-name", jobName);
        labels.put("batch.kubernetes.io/controller-uid", job.getMetadata().getUid());
        labels.put("batch.kubernetes.io/job-name", jobName);
        if (indexed != null) {
            labels.putAll(IndexedPods.indexMetadata(index));
        }
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(podName)
                .withNamespace(ns)
                .withLabels(labels)
                .withAnnotations(indexed == null ? null : new LinkedHashMap<>(IndexedPods.indexMetadata(index)))
                .withCreationTimestamp(Instant.now().toString())
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("batch/v1")
                        .withKind("Job")
                        .withName(jobName)
                        .withUid(job.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build())
                .endMetadata()
                .withSpec(new PodSpecBuilder(
                                indexed == null
                                        ? job.getSpec().getTemplate().getSpec()
                                        : indexed.specFor(
                                                job.getSpec().getTemplate().getSpec(), index))
                        .withNodeName(b.mode() == Mode.UNSCHEDULABLE ? null : NODE_NAME)
                        .build())
                .build();
        client.pods().inNamespace(ns).resource(pod).create();
        PodLogs.PodLog log = logs.create(ns, podName);
        WorkQueue queue = workQueues.get(uid(job));
        if (queue != null || index <= 0) {
            int active = queue != null ? queue.started() : indexed == null ? 1 : indexed.completions();
            editJob(
                    ns,
                    jobName,
                    j -> new JobBuilder(j)
                            .editOrNewStatus()
                            .withStartTime(Instant.now().toString())
                            .withActive(active)
                            .endStatus()
                            .build());
        }
        switch (b.mode()) {
            case UNSCHEDULABLE ->
                podStatus(
                        ns,
                        podName,
                        "Pending",
                        List.of(scheduled(
                                "False",
                                "Unschedulable",
                                "0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: "
                                        + "1 No preemption victims found for incoming pod.")),
                        null);
            case SCALE_UP -> {
                String message = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. "
                        + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
                // The events first: a look between the status and the autoscaler's event would see an unschedulable
                // pod that no pool matches (which does not heal), not the scale-up this mode plays.
                event(ns, "Pod", podName, "Warning", "FailedScheduling", message, "default-scheduler");
                event(
                        ns,
                        "Pod",
                        podName,
                        "Normal",
                        "TriggeredScaleUp",
                        "pod triggered scale-up: [{https://www.googleapis.com/compute/v1/projects/acme/zones/"
                                + "us-central1-a/instanceGroups/gke-ml-l4-pool-grp 0->1 (max: 4)}]",
                        "cluster-autoscaler");
                podStatus(ns, podName, "Pending", List.of(scheduled("False", "Unschedulable", message)), null);
            }
            case IMAGE_PULL_ERROR -> {
                String image = pod.getSpec().getContainers().get(0).getImage();
                event(
                        ns,
                        "Pod",
                        podName,
                        "Warning",
                        "Failed",
                        "Failed to pull image \"" + image + "\": rpc error: code = NotFound desc = failed to pull and "
                                + "unpack image \"" + image + "\": not found",
                        "kubelet");
                podStatus(
                        ns,
                        podName,
                        "Pending",
                        List.of(scheduled("True", null, null)),
                        waiting(
                                "ErrImagePull",
                                "rpc error: code = NotFound desc = failed to pull and unpack image \"" + image
                                        + "\": not found"));
                Thread.sleep(200);
                podStatus(
                        ns,
                        podName,
                        "Pending",
                        List.of(scheduled("True", null, null)),
                        waiting("ImagePullBackOff", "Back-off pulling image \"" + image + "\""));
            }
            default -> run(job, pod, log, b, indexed);
        }
    }

    /** What the Job controller does when the API server refuses its pod: no pod, a FailedCreate Event, retries. */
    private void failedCreate(Job job) {
        String ns = job.getMetadata().getNamespace();
        String sa = job.getSpec().getTemplate().getSpec().getServiceAccountName();
        event(
                ns,
                "Job",
                job.getMetadata().getName(),
                "Warning",
                "FailedCreate",
                "Error creating: pods \"" + job.getMetadata().getName() + "-x7k2p\" is forbidden: error looking up "
                        + "service account " + ns + "/" + (sa == null ? "default" : sa) + ": serviceaccount \""
                        + (sa == null ? "default" : sa) + "\" not found",
                "job-controller");
    }

    /** Records an Event as the component named would. */
    private void event(String ns, String kind, String name, String type, String reason, String message, String by) {
        String now = Instant.now().toString();
        client.v1()
                .events()
                .inNamespace(ns)
                .resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                        .withNewMetadata()
                        .withName(name + "." + Long.toHexString(System.nanoTime()))
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewInvolvedObject()
                        .withKind(kind)
                        .withName(name)
                        .withNamespace(ns)
                        .withApiVersion(kind.equals("Job") ? "batch/v1" : "v1")
                        .endInvolvedObject()
                        .withType(type)
                        .withReason(reason)
                        .withMessage(message)
                        .withNewSource()
                        .withComponent(by)
                        .endSource()
                        .withFirstTimestamp(now)
                        .withLastTimestamp(now)
                        .withCount(1)
                        .build())
                .create();
    }

    private void run(Job job, Pod pod, PodLogs.PodLog log, Behaviour b, IndexedPods indexed) throws Exception {
        String ns = pod.getMetadata().getNamespace();
        String podName = pod.getMetadata().getName();
        podStatus(ns, podName, "Pending", List.of(scheduled("True", null, null)), waiting("ContainerCreating", null));
        Path podDir = Files.createDirectories(workRoot.resolve(ns).resolve(podName));
        Files.createDirectories(podDir.resolve("tmp"));
        Process process;
        try {
            if (podman != null && b.mode() == Mode.OOM_KILL) {
                throw new ContainerTranslation.Untranslatable(
                        "the OOM_KILL behaviour needs local processes, not podman");
            }
            process = podman == null ? startLocal(pod, podDir, indexed) : podman.start(pod.getSpec(), podName, podDir);
            terminationFiles.put(ns + "/" + podName, podDir.resolve("termination-log"));
        } catch (ContainerTranslation.Untranslatable e) {
            errors.add(podName + ": " + e.getMessage());
            finish(job, pod, null, 128, "StartError", e.getMessage());
            return;
        } catch (PodmanRunner.PullFailed e) {
            errors.add(podName + ": cannot pull "
                    + pod.getSpec().getContainers().get(0).getImage() + ": " + e.getMessage());
            podStatus(
                    ns,
                    podName,
                    "Pending",
                    List.of(scheduled("True", null, null)),
                    waiting("ErrImagePull", e.getMessage()));
            return;
        }
        processes.put(ns + "/" + podName, process);
        log.started();
        String startedAt = Instant.now().toString();
        podStatus(
                ns,
                podName,
                "Running",
                List.of(scheduled("True", null, null)),
                new ContainerStatusBuilder()
                        .withName("agent")
                        .withImage(pod.getSpec().getContainers().get(0).getImage())
                        .withReady(true)
                        .withStarted(true)
                        .withNewState()
                        .withNewRunning()
                        .withStartedAt(startedAt)
                        .endRunning()
                        .endState()
                        .build());
        boolean oomKilled = false;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = readLine(out, oomKilled, process)) != null) {
                log.append(line + "\n");
                if (b.mode() == Mode.OOM_KILL && line.contains(b.trigger()) && !oomKilled) {
                    // The kernel's OOM killer takes the whole container's cgroup: every process, at once.
                    oomKilled = true;
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
        }
        int exit = process.waitFor();
        finish(
                job,
                pod,
                startedAt,
                exit,
                oomKilled ? "OOMKilled" : exit == 0 ? "Completed" : "Error",
                terminationMessage(pod, log, exit));
    }

    /**
     * What the kubelet puts into {@code state.terminated.message}: the termination message file's content, or with
     * {@code FallbackToLogsOnError} and a failed container and an empty file, the log's last 80 lines (at most 2048
     * bytes).
     */
    private String terminationMessage(Pod pod, PodLogs.PodLog log, int exit) throws IOException {
        Path file = terminationFiles.get(
                pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
        String written = file != null && Files.exists(file) ? Files.readString(file) : "";
        if (!written.isEmpty()) {
            return written.length() > 4096 ? written.substring(0, 4096) : written;
        }
        var container = pod.getSpec().getContainers().get(0);
        if (exit == 0 || !"FallbackToLogsOnError".equals(container.getTerminationMessagePolicy())) {
            return null;
        }
        List<PodLogs.PodLog.Entry> entries = log.snapshot();
        StringBuilder tail = new StringBuilder();
        for (int i = Math.max(0, entries.size() - 80); i < entries.size(); i++) {
            tail.append(entries.get(i).text());
        }
        return tail.length() > 2048 ? tail.substring(tail.length() - 2048) : tail.toString();
    }

    /** The container as a local process ({@link ContainerTranslation}). */
    private Process startLocal(Pod pod, Path podDir, IndexedPods indexed)
            throws ContainerTranslation.Untranslatable, IOException {
        String namespace = pod.getMetadata().getNamespace();
        ContainerTranslation.Launch launch = ContainerTranslation.translate(
                pod.getSpec(),
                imageAgentClasspath,
                podDir,
                pod.getMetadata().getName(),
                name -> secretData(namespace, name));
        List<String> command = indexed == null ? launch.command() : indexed.rewrite(launch.command(), pod.getSpec());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).directory(podDir.toFile());
        builder.environment().clear();
        builder.environment().putAll(launch.environment());
        return builder.start();
    }

    /** A Secret's data, decoded, as the kubelet reads it for the container's environment; null when it is absent. */
    private Map<String, String> secretData(String namespace, String name) {
        io.fabric8.kubernetes.api.model.Secret secret =
                client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return null;
        }
        Map<String, String> out = new java.util.HashMap<>();
        if (secret.getData() != null) {
            secret.getData()
                    .forEach((k, v) -> out.put(
                            k,
                            new String(
                                    java.util.Base64.getDecoder().decode(v), java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            out.putAll(secret.getStringData());
        }
        return out;
    }

    /**
     * A line of output, or null at its end; killing the process closes its stream, which also ends it (and so may a
     * process that exits while its last output is read: the JDK then swaps the pipe for what was left in it).
     */
    private static String readLine(BufferedReader out, boolean killed, Process process) throws IOException {
        try {
            return out.readLine();
        } catch (IOException e) {
            try {
                if (killed || process.waitFor(5, TimeUnit.SECONDS)) {
                    return null;
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    /** Writes the terminated container and pod phase, then the Job's condition, then schedules the TTL. */
    private void finish(Job job, Pod pod, String startedAt, int exit, String reason, String message) throws Exception {
        podEnded(job, pod, startedAt, exit, reason, message);
        WorkQueue queue = workQueues.get(uid(job));
        if (queue != null) {
            workQueueEnded(job, queue, exit);
            return;
        }
        Gang gang = gangs.get(job.getMetadata().getUid());
        if (gang != null) {
            finishIndexed(job, pod, gang, exit);
            return;
        }
        String ns = pod.getMetadata().getNamespace();
        String now = Instant.now().toString();
        boolean ok = exit == 0;
        editJob(
                ns,
                job.getMetadata().getName(),
                j -> new JobBuilder(j)
                        .editOrNewStatus()
                        .withActive(0)
                        .withSucceeded(ok ? 1 : 0)
                        .withFailed(ok ? 0 : 1)
                        .withCompletionTime(ok ? now : null)
                        .addToConditions(new JobConditionBuilder()
                                .withType(ok ? "Complete" : "Failed")
                                .withStatus("True")
                                .withReason(ok ? null : "BackoffLimitExceeded")
                                .withMessage(ok ? null : "Job has reached the specified backoff limit")
                                .withLastTransitionTime(now)
                                .build())
                        .endStatus()
                        .build());
        scheduleTtl(job);
    }

    /** Writes the pod's terminated container and its phase. */
    private void podEnded(Job job, Pod pod, String startedAt, int exit, String reason, String message) {
        String ns = pod.getMetadata().getNamespace();
        String now = Instant.now().toString();
        podStatus(
                ns,
                pod.getMetadata().getName(),
                exit == 0 ? "Succeeded" : "Failed",
                List.of(scheduled("True", null, null)),
                new ContainerStatusBuilder()
                        .withName("agent")
                        .withImage(pod.getSpec().getContainers().get(0).getImage())
                        .withNewState()
                        .withNewTerminated()
                        .withExitCode(exit)
                        .withReason(reason)
                        .withMessage(message)
                        .withStartedAt(startedAt)
                        .withFinishedAt(now)
                        .endTerminated()
                        .endState()
                        .build());
    }

    /** Deletes a finished Job after its {@code ttlSecondsAfterFinished}, as the TTL controller does. */
    private void scheduleTtl(Job job) {
        String ns = job.getMetadata().getNamespace();
        Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
        if (ttl != null && ttl <= 60) {
            executor.submit(() -> guard(job, () -> {
                Thread.sleep(ttl * 1000L);
                client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(ns)
                        .withName(job.getMetadata().getName())
                        .delete();
            }));
        }
    }

    /** Kills a running pod's container at once (SIGKILL to its whole process tree), as an OOM kill or a node loss. */
    public void kill(String namespace, String podName) {
        Process p = processes.get(namespace + "/" + podName);
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** The pods the node runs or ran for a Job, by name. */
    public List<String> podNames(String namespace, String jobName) {
        return processes.keySet().stream()
                .filter(k -> k.startsWith(namespace + "/" + jobName + "-"))
                .map(k -> k.substring(namespace.length() + 1))
                .sorted()
                .toList();
    }

    /**
     * A work-queue Job ({@code parallelism} set, {@code completions} not): the Job controller keeps {@code parallelism}
     * pods, replaces a failed one while failures stay within {@code backoffLimit} and none has succeeded, fails the Job
     * at once on a {@code FailJob} exit code of its pod failure policy, and completes it once a pod has succeeded and
     * none runs.
     */
    private static final class WorkQueue {
        final int backoffLimit;
        final List<Integer> failJobOn = new java.util.ArrayList<>();
        int started;
        int running;
        int succeeded;
        int failed;
        boolean deleted;
        boolean ended;

        WorkQueue(Job job) {
            Integer limit = job.getSpec().getBackoffLimit();
            this.backoffLimit = limit == null ? 6 : limit;
            var policy = job.getSpec().getPodFailurePolicy();
            if (policy != null) {
                for (var rule : policy.getRules()) {
                    if ("FailJob".equals(rule.getAction())
                            && rule.getOnExitCodes() != null
                            && "In".equals(rule.getOnExitCodes().getOperator())) {
                        failJobOn.addAll(rule.getOnExitCodes().getValues());
                    }
                }
            }
        }

        static boolean is(Job job) {
            return job.getSpec().getParallelism() != null && job.getSpec().getCompletions() == null;
        }

        synchronized int started() {
            started++;
            running++;
            return running;
        }
    }

    private static String uid(Job job) {
        return job.getMetadata().getUid();
    }

    /** A work-queue Job's pod ended: replace it, or end the Job, as the Job controller would. */
    private void workQueueEnded(Job job, WorkQueue q, int exit) throws Exception {
        boolean replace;
        String condition = null;
        String reason = null;
        synchronized (q) {
            q.running--;
            if (exit == 0) {
                q.succeeded++;
            } else {
                q.failed++;
            }
            boolean failJob = exit != 0 && q.failJobOn.contains(exit);
            replace = exit != 0 && !failJob && !q.deleted && q.succeeded == 0 && q.failed <= q.backoffLimit;
            if (failJob) {
                condition = "Failed";
                reason = "PodFailurePolicy";
            } else if (q.running == 0 && !replace && q.succeeded > 0) {
                condition = "Complete";
            } else if (q.running == 0 && !replace) {
                condition = "Failed";
                reason = "BackoffLimitExceeded";
            }
            if (condition != null) {
                if (q.ended) {
                    return;
                }
                q.ended = true;
            }
        }
        String ns = job.getMetadata().getNamespace();
        String now = Instant.now().toString();
        String type = condition;
        String why = reason;
        editJob(ns, job.getMetadata().getName(), j -> {
            JobBuilder b = new JobBuilder(j)
                    .editOrNewStatus()
                    .withActive(q.running)
                    .withSucceeded(q.succeeded)
                    .withFailed(q.failed)
                    .endStatus();
            if (type != null) {
                b.editStatus()
                        .withCompletionTime(type.equals("Complete") ? now : null)
                        .addToConditions(new JobConditionBuilder()
                                .withType(type)
                                .withStatus("True")
                                .withReason(why)
                                .withLastTransitionTime(now)
                                .build())
                        .endStatus();
            }
            return b.build();
        });
        if (replace) {
            executor.submit(() -> guard(job, () -> admitPod(job, behaviour.apply(job), null, -1)));
        }
        if (type != null) {
            scheduleTtl(job);
        }
    }

    /** An Indexed Job's progress: how each index ended, and whether the Job has. */
    private static final class Gang {
        final IndexedPods pods;
        final Map<Integer, Integer> exits = new LinkedHashMap<>();
        boolean ended;

        Gang(IndexedPods pods) {
            this.pods = pods;
        }
    }

    /**
     * The Job controller for an Indexed Job: Complete once every index succeeded; at the first pod that fails (every
     * non-zero exit matches the gang's podFailurePolicy FailJob rule) the Job fails and its other pods are stopped.
     */
    private void finishIndexed(Job job, Pod pod, Gang gang, int exit) {
        String ns = pod.getMetadata().getNamespace();
        String now = Instant.now().toString();
        int index = Integer.parseInt(pod.getMetadata().getLabels().get(IndexedPods.COMPLETION_INDEX));
        JobConditionBuilder condition;
        int succeeded;
        int failed;
        synchronized (gang) {
            gang.exits.put(index, exit);
            succeeded = (int) gang.exits.values().stream().filter(e -> e == 0).count();
            failed = gang.exits.size() - succeeded;
            if (gang.ended || (exit == 0 && succeeded < gang.pods.completions())) {
                editJob(
                        ns,
                        job.getMetadata().getName(),
                        j -> new JobBuilder(j)
                                .editOrNewStatus()
                                .withSucceeded(succeeded)
                                .withFailed(failed)
                                .withActive(gang.pods.completions() - gang.exits.size())
                                .endStatus()
                                .build());
                return;
            }
            gang.ended = true;
            condition = exit == 0
                    ? new JobConditionBuilder().withType("Complete")
                    : new JobConditionBuilder()
                            .withType("Failed")
                            .withReason("PodFailurePolicy")
                            .withMessage("Container agent for pod " + ns + "/"
                                    + pod.getMetadata().getName() + " failed with exit code " + exit
                                    + " matching a FailJob rule");
        }
        boolean ok = exit == 0;
        editJob(
                ns,
                job.getMetadata().getName(),
                j -> new JobBuilder(j)
                        .editOrNewStatus()
                        .withActive(0)
                        .withSucceeded(succeeded)
                        .withFailed(failed)
                        .withCompletionTime(ok ? now : null)
                        .addToConditions(condition
                                .withStatus("True")
                                .withLastTransitionTime(now)
                                .build())
                        .endStatus()
                        .build());
        if (!ok) {
            // The controller deletes the gang's other pods: their containers get SIGTERM.
            // (SIGTERM through the process handle: Process.destroy would also close the pipe its output is read from.)
            String prefix = ns + "/" + job.getMetadata().getName() + "-";
            for (var e : processes.entrySet()) {
                if (e.getKey().startsWith(prefix) && e.getValue().isAlive()) {
                    e.getValue().toHandle().destroy();
                }
            }
        }
    }

    /** Garbage collection of a deleted Job: stop its processes like a kubelet would, then delete its pods. */
    private void collect(Job job) throws Exception {
        WorkQueue queue = workQueues.get(uid(job));
        if (queue != null) {
            synchronized (queue) {
                queue.deleted = true; // no replacement pods for a Job being deleted
            }
        }
        String ns = job.getMetadata().getNamespace();
        String prefix = ns + "/" + job.getMetadata().getName() + "-";
        for (var e : processes.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                Process p = e.getValue();
                if (p.isAlive() && podman != null) {
                    // The process is podman's client; the container is stopped through podman, as a kubelet would.
                    podman.stop(e.getKey().substring(ns.length() + 1), TERMINATION_GRACE_SECONDS);
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } else if (p.isAlive()) {
                    List<ProcessHandle> tree = p.descendants().toList();
                    // SIGTERM, as the kubelet sends on pod deletion; through the handle, because Process.destroy also
                    // closes the pipe the pod's output is still being read from.
                    p.toHandle().destroy();
                    if (!p.waitFor(TERMINATION_GRACE_SECONDS, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                    tree.forEach(ProcessHandle::destroyForcibly);
                }
                processes.remove(e.getKey());
            }
        }
        for (Pod p : client.pods()
                .inNamespace(ns)
                .withLabel("controller-uid", job.getMetadata().getUid())
                .list()
                .getItems()) {
            client.pods().inNamespace(ns).withName(p.getMetadata().getName()).delete();
            logs.remove(ns, p.getMetadata().getName());
        }
    }

    private void podStatus(
            String ns,
            String pod,
            String phase,
            List<io.fabric8.kubernetes.api.model.PodCondition> conditions,
            ContainerStatus container) {
        try {
            client.pods()
                    .inNamespace(ns)
                    .withName(pod)
                    .editStatus(p -> new PodBuilder(p)
                            .withNewStatus()
                            .withPhase(phase)
                            .withConditions(conditions)
                            .withHostIP(container == null ? null : "10.0.0.1")
                            .withContainerStatuses(container == null ? List.of() : List.of(container))
                            .endStatus()
                            .build());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** One writer of Job status at a time, as the Job controller is (an Indexed Job's pods finish concurrently). */
    private synchronized void editJob(String ns, String name, java.util.function.UnaryOperator<Job> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.batch().v1().jobs().inNamespace(ns).withName(name).editStatus(change);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409 && attempt < 20) {
                    continue; // written meanwhile (another pod's end, the backend): apply the change to the newer
                    // version
                }
                if (e.getCode() != 404) {
                    throw e; // a Job deleted meanwhile (cancel) has no status to write
                }
                return;
            }
        }
    }

    private static io.fabric8.kubernetes.api.model.PodCondition scheduled(
            String status, String reason, String message) {
        return new PodConditionBuilder()
                .withType("PodScheduled")
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(Instant.now().toString())
                .build();
    }

    private static ContainerStatus waiting(String reason, String message) {
        return new ContainerStatusBuilder()
                .withName("agent")
                .withReady(false)
                .withStarted(false)
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .endState()
                .build();
    }

    private interface Step {
        void run() throws Exception;
    }

    private void guard(Job job, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            if (e instanceof KubernetesClientException k && k.getCode() == 404) {
                return; // the Job or pod went away while we worked on it (cancel, cleanup)
            }
            errors.add(job.getMetadata().getName() + ": " + e);
        }
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        if (podman != null) {
            podman.removeAll();
        }
        for (Process p : processes.values()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        executor.shutdownNow();
    }
}
