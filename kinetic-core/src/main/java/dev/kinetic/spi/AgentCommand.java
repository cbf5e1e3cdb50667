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

    private static final String STORE = "--store";
    private static final String JOB = "--job";
    private static final String PAYLOAD = "--payload";
    private static final String CLASSPATH = "--classpath";
    private static final String RETRIES = "--retries";
    private static final String JVM_ARG = "--jvm-arg=";
    private static final String WORK = "--work";
    private static final String CACHE = "--cache";
    private static final String CLASS_ARCHIVES = "--class-archives";
    private static final String USAGE = "usage: Agent --store URI --job ID --payload SHA256 [--classpath SHA,...] "
            + "[--jvm-arg=OPT]... [--retries N] [--work DIR] [--cache DIR] [--class-archives DIR]";

    private final String storeUri;
    private final JobId jobId;
    private final String payloadSha256;
    private final List<String> classpathSha256;
    private final List<String> jvmArgs;
    private final int retries;
    private final Path workDir;
    private final Path cacheDir;
    private final Path classArchives;

    private AgentCommand(
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
        return new AgentCommand(
                record.store(),
                record.id(),
                record.payload().sha256(),
                classpath,
                record.jvmArgs(),
                record.retries(),
                null,
                null,
                null);
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

    /** This command with the agent's working directory set (default: {@code KINETIC_WORK_DIR} or a temp dir). */
    public AgentCommand withWorkDir(Path dir) {
        return new AgentCommand(
                storeUri, jobId, payloadSha256, classpathSha256, jvmArgs, retries, dir, cacheDir, classArchives);
    }

    /** This command with the classpath cache set (default: {@code KINETIC_CACHE_DIR} or a temp dir). */
    public AgentCommand withCacheDir(Path dir) {
        return new AgentCommand(
                storeUri, jobId, payloadSha256, classpathSha256, jvmArgs, retries, workDir, dir, classArchives);
    }

    /** This command with class-data-sharing archives kept in {@code dir} (local backend). */
    public AgentCommand withClassArchives(Path dir) {
        return new AgentCommand(
                storeUri, jobId, payloadSha256, classpathSha256, jvmArgs, retries, workDir, cacheDir, dir);
    }

    /** The agent's program arguments (after the main class). */
    public List<String> arguments() {
        List<String> args = new ArrayList<>(List.of(STORE, storeUri, JOB, jobId.value(), PAYLOAD, payloadSha256));
        if (!classpathSha256.isEmpty()) {
            args.add(CLASSPATH);
            args.add(String.join(",", classpathSha256));
        }
        if (retries > 0) {
            args.add(RETRIES);
            args.add(String.valueOf(retries));
        }
        for (String jvmArg : jvmArgs) {
            args.add(JVM_ARG + jvmArg);
        }
        if (workDir != null) {
            args.add(WORK);
            args.add(workDir.toString());
        }
        if (cacheDir != null) {
            args.add(CACHE);
            args.add(cacheDir.toString());
        }
        if (classArchives != null) {
            args.add(CLASS_ARCHIVES);
            args.add(classArchives.toString());
        }
        return args;
    }

    /**
     * Parses what {@link #arguments()} rendered.
     *
     * @throws IllegalArgumentException naming the bad option, with the usage
     */
    public static AgentCommand parse(String[] args) {
        String store = null;
        JobId job = null;
        String payload = null;
        List<String> classpath = new ArrayList<>();
        List<String> jvmArgs = new ArrayList<>();
        int retries = 0;
        Path work = null;
        Path cache = null;
        Path archives = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith(JVM_ARG)) {
                jvmArgs.add(a.substring(JVM_ARG.length()));
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a + "; " + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case STORE:
                    store = v;
                    break;
                case JOB:
                    job = JobId.of(v);
                    break;
                case PAYLOAD:
                    payload = v;
                    break;
                case CLASSPATH:
                    classpath.addAll(List.of(v.split(",")));
                    break;
                case RETRIES:
                    retries = parseRetries(v);
                    break;
                case WORK:
                    work = Path.of(v);
                    break;
                case CACHE:
                    cache = Path.of(v);
                    break;
                case CLASS_ARCHIVES:
                    archives = Path.of(v);
                    break;
                default:
                    throw new IllegalArgumentException("unknown agent option " + a + "; " + USAGE);
            }
        }
        if (store == null || job == null || payload == null) {
            throw new IllegalArgumentException(USAGE);
        }
        return new AgentCommand(store, job, payload, classpath, jvmArgs, retries, work, cache, archives);
    }

    private static int parseRetries(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--retries needs a number, got '" + v + "'; " + USAGE);
        }
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

    /** Where class-data-sharing archives live, or null when the agent uses none. */
    public Path classArchives() {
        return classArchives;
    }
}
