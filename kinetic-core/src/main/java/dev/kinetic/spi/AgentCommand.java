package dev.kinetic.spi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's command line for one job, defined once: backends render it with {@link #arguments()} (the local
 * backend's detached process, a Kubernetes container's args) and the agent parses it with {@link #parse}. The
 * hashes travel here, not only in the stored record, so the agent can verify what it downloads against what the
 * submitter meant to run.
 *
 * <p>Not a record: the agent parses it on its start-up path, where a record's generated methods would bootstrap
 * invokedynamic.
 */
public final class AgentCommand {
    /** The main class of the agent. */
    public static final String MAIN_CLASS = "dev.kinetic.internal.agent.Agent";
    /** The main class of a batch's worker ({@link #forWorkers}). */
    public static final String WORKER_MAIN_CLASS = "dev.kinetic.internal.batch.worker.BatchWorker";
    /**
     * Where a worker finds its id when no {@code --worker-id} was given: a Kubernetes pod sets it to its own name
     * (downward API), so one pod template serves every worker.
     */
    public static final String WORKER_ID_ENV = "KINETIC_WORKER_ID";

    /** An Indexed Job's pod index, set by the Job controller: read when no {@code --host-index} was given. */
    public static final String COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX";

    private final String storeUri;
    private final JobId jobId;
    private final String payloadSha256;
    private final List<String> classpathSha256;
    private final List<String> jvmArgs;
    private final int retries;
    private Path workDir;
    private Path cacheDir;
    private Path classArchives;
    // A multi-host job's gang: set once by the backend (with*) or the parser, before the command is rendered.
    int hosts = 1;
    int hostIndex = -1;
    List<String> hostNames = List.of();
    String coordinator;
    boolean tpuWorkerEnv;
    // A batch's worker (forWorkers): no job or payload of its own; it takes the batch's inputs from the store.
    String batchId;
    String workerId;
    /** The job's time limit from the task's start, in milliseconds; 0 for none. */
    long timeoutMillis;
    /** The local backend's slots directory, where the agent waits for capacity first; null elsewhere. */
    Path localSlots;

    AgentCommand(
            String storeUri,
            JobId jobId,
            String payloadSha256,
            List<String> classpathSha256,
            List<String> jvmArgs,
            int retries,
            Path workDir,
            Path cacheDir,
            Path classArchives) {
        this.storeUri = storeUri;
        this.jobId = jobId;
        this.payloadSha256 = payloadSha256;
        this.classpathSha256 = List.copyOf(classpathSha256);
        this.jvmArgs = List.copyOf(jvmArgs);
        this.retries = retries;
        this.workDir = workDir;
        this.cacheDir = cacheDir;
        this.classArchives = classArchives;
    }

    /** The command that runs the recorded job {@code record}. */
    public static AgentCommand forRecord(JobRecord record) {
        List<String> classpath = new ArrayList<>();
        for (JobRecord.Artifact a : record.classpath()) {
            classpath.add(a.sha256());
        }
        AgentCommand command = new AgentCommand(
                record.store(),
                record.id(),
                record.payload().sha256(),
                classpath,
                record.jvmArgs(),
                record.retries(),
                null,
                null,
                null);
        command.hosts = record.hosts();
        command.timeoutMillis =
                record.timeout() == null ? 0 : Math.max(1, record.timeout().toMillis());
        return command;
    }

    /**
     * @param storeUri the store the agent reads from and writes to
     * @param jobId the job id
     * @param payloadSha256 expected hash of {@code payload.bin}
     * @param classpathSha256 expected hashes of the classpath entries, in order
     * @param jvmArgs task JVM options
     * @param retries how often the backend retries a disrupted attempt; when above 0, an agent terminated without a
     *     cancel request leaves the outcome to the next attempt instead of recording a failure
     */
    public static AgentCommand of(
            String storeUri,
            JobId jobId,
            String payloadSha256,
            List<String> classpathSha256,
            List<String> jvmArgs,
            int retries) {
        return new AgentCommand(storeUri, jobId, payloadSha256, classpathSha256, jvmArgs, retries, null, null, null);
    }

    /**
     * The command of a worker of batch {@code batchId}: an agent that takes the batch's inputs one after another from
     * the store (see {@link WorkerPool}) and runs each as a job of its own, until none is left.
     *
     * @param classpathSha256 expected hashes of the batch's classpath entries, in order
     * @param jvmArgs task JVM options
     */
    public static AgentCommand forWorkers(
            String storeUri, String batchId, List<String> classpathSha256, List<String> jvmArgs) {
        AgentCommand command = new AgentCommand(storeUri, null, null, classpathSha256, jvmArgs, 0, null, null, null);
        command.batchId = batchId;
        return command;
    }

    /** This worker command with the worker's id set (default: {@value #WORKER_ID_ENV}, else a generated one). */
    public AgentCommand withWorkerId(String id) {
        if (batchId == null) {
            throw new IllegalArgumentException(
                    "job " + jobId + " is not a batch worker; only workers have a worker id");
        }
        AgentCommand c = copy();
        c.workerId = id;
        return c;
    }

    /** Whether this command runs a batch's worker rather than one job. */
    public boolean isWorker() {
        return batchId != null;
    }

    /** The class to run with this command's {@link #arguments()}: the agent's, or the worker's. */
    public String mainClass() {
        return isWorker() ? WORKER_MAIN_CLASS : MAIN_CLASS;
    }

    /** The batch a worker works for, or null for a job's agent. */
    public String batchId() {
        return batchId;
    }

    /** The worker's id when the backend gave one, else null. */
    public String workerId() {
        return workerId;
    }

    /** This command with the agent's working directory set (default: {@code KINETIC_WORK_DIR} or a temp dir). */
    public AgentCommand withWorkDir(Path dir) {
        AgentCommand c = copy();
        c.workDir = dir;
        return c;
    }

    /** This command with the classpath cache set (default: {@code KINETIC_CACHE_DIR} or a temp dir). */
    public AgentCommand withCacheDir(Path dir) {
        AgentCommand c = copy();
        c.cacheDir = dir;
        return c;
    }

    /** This command for an agent that first waits for its job's share of the machine (the local backend's slots). */
    public AgentCommand withLocalSlots(Path dir) {
        AgentCommand c = copy();
        c.localSlots = dir;
        return c;
    }

    /** This command with class-data-sharing archives kept in {@code dir} (local backend). */
    public AgentCommand withClassArchives(Path dir) {
        AgentCommand c = copy();
        c.classArchives = dir;
        return c;
    }

    /**
     * This command for one host of a multi-host job ({@link #hosts()} of them).
     *
     * @param hostNames every host's name in index order, as the task sees it in {@code KINETIC_HOSTS}: a DNS name, or
     *     {@code host:port} where the hosts share an address (the local backend, a test node)
     * @param coordinator host 0's {@code host:port}, with a port reserved for the user's coordination
     * @param tpuWorkerEnv whether the task also gets {@code TPU_WORKER_ID} and {@code TPU_WORKER_HOSTNAMES} (a TPU
     *     slice), unless the agent's environment already has them (GKE injects them into Indexed Jobs' TPU pods)
     */
    public AgentCommand withGang(List<String> hostNames, String coordinator, boolean tpuWorkerEnv) {
        if (hostNames.size() != hosts) {
            throw new IllegalArgumentException("job " + jobId + " runs on " + hosts + " hosts, but " + hostNames.size()
                    + " host names were given");
        }
        AgentCommand c = copy();
        c.hostNames = List.copyOf(hostNames);
        c.coordinator = coordinator;
        c.tpuWorkerEnv = tpuWorkerEnv;
        return c;
    }

    /** This command for host {@code index}; without it the agent reads {@value #COMPLETION_INDEX_ENV}, else 0. */
    public AgentCommand withHostIndex(int index) {
        if (index < 0 || index >= hosts) {
            throw new IllegalArgumentException("host index " + index + " is outside 0.." + (hosts - 1));
        }
        AgentCommand c = copy();
        c.hostIndex = index;
        return c;
    }

    private AgentCommand copy() {
        AgentCommand c = new AgentCommand(
                storeUri, jobId, payloadSha256, classpathSha256, jvmArgs, retries, workDir, cacheDir, classArchives);
        c.hosts = hosts;
        c.hostIndex = hostIndex;
        c.hostNames = hostNames;
        c.coordinator = coordinator;
        c.tpuWorkerEnv = tpuWorkerEnv;
        c.batchId = batchId;
        c.workerId = workerId;
        c.timeoutMillis = timeoutMillis;
        c.localSlots = localSlots;
        return c;
    }

    /** The agent's program arguments (after the main class); the text is {@code AgentArguments}'. */
    public List<String> arguments() {
        return AgentArguments.render(this);
    }

    /**
     * Parses what {@link #arguments()} rendered.
     *
     * @throws IllegalArgumentException naming the bad option, with the usage
     */
    public static AgentCommand parse(String[] args) {
        return AgentArguments.parse(args);
    }

    public String storeUri() {
        return storeUri;
    }

    public JobId jobId() {
        return jobId;
    }

    public String payloadSha256() {
        return payloadSha256;
    }

    public List<String> classpathSha256() {
        return classpathSha256;
    }

    public List<String> jvmArgs() {
        return jvmArgs;
    }

    public int retries() {
        return retries;
    }

    /** The working directory, or null for the agent's default. */
    public Path workDir() {
        return workDir;
    }

    /** The classpath cache, or null for the agent's default. */
    public Path cacheDir() {
        return cacheDir;
    }

    /** How many hosts run the job together (1 for a job of one host). */
    public int hosts() {
        return hosts;
    }

    /** This host's index when the backend gave it, or -1: the agent then reads {@value #COMPLETION_INDEX_ENV}. */
    public int hostIndex() {
        return hostIndex;
    }

    /** Every host's name in index order, as the task sees them in {@code KINETIC_HOSTS}; empty for one host. */
    public List<String> hostNames() {
        return hostNames;
    }

    /** Host 0's {@code host:port} for the user's coordination, or null for one host. */
    public String coordinator() {
        return coordinator;
    }

    /** Whether the task also gets libtpu's {@code TPU_WORKER_ID} and {@code TPU_WORKER_HOSTNAMES}. */
    public boolean tpuWorkerEnv() {
        return tpuWorkerEnv;
    }

    /** Where class-data-sharing archives live, or null when the agent uses none. */
    public Path classArchives() {
        return classArchives;
    }

    /** The job's time limit from the task's start, in milliseconds; 0 for none. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** The local backend's slots directory, where the agent first waits for capacity; null elsewhere. */
    public Path localSlots() {
        return localSlots;
    }
}
