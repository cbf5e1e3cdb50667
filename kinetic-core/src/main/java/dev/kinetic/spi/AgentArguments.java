package dev.kinetic.spi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's command line as text: {@link AgentCommand}'s options rendered ({@link #render}) and parsed back
 * ({@link #parse}) in one place, so the two never disagree, for a job's agent and for a batch's worker. On the
 * agent's start-up path, so no lambdas, records or regular expressions here either.
 */
final class AgentArguments {
    static final String STORE = "--store";
    static final String JOB = "--job";
    static final String PAYLOAD = "--payload";
    static final String CLASSPATH = "--classpath";
    static final String RETRIES = "--retries";
    static final String JVM_ARG = "--jvm-arg=";
    static final String WORK = "--work";
    static final String CACHE = "--cache";
    static final String CLASS_ARCHIVES = "--class-archives";
    static final String HOSTS = "--hosts";
    static final String HOST_INDEX = "--host-index";
    static final String HOST_NAMES = "--host-names";
    static final String COORDINATOR = "--coordinator";
    static final String TPU_WORKER_ENV = "--tpu-worker-env";
    static final String BATCH = "--batch";
    static final String WORKER_ID = "--worker-id";
    static final String TIMEOUT_MS = "--timeout-ms";
    static final String LOCAL_SLOTS = "--local-slots";
    static final String USAGE = "usage: Agent --store URI (--job ID --payload SHA256 | --batch ID [--worker-id "
            + "ID]) [--classpath SHA,...] "
            + "[--jvm-arg=OPT]... [--retries N] [--work DIR] [--cache DIR] [--class-archives DIR] [--hosts N "
            + "[--host-index I] --host-names NAME,... --coordinator HOST:PORT [--tpu-worker-env]] [--timeout-ms N] "
            + "[--local-slots DIR]";

    private String store;
    private JobId job;
    private String payload;
    private final List<String> classpath = new ArrayList<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private int retries;
    private Path work;
    private Path cache;
    private Path archives;
    private int hosts = 1;
    private int hostIndex = -1;
    private final List<String> names = new ArrayList<>();
    private String coordinator;
    private boolean tpu;
    private String batch;
    private String worker;
    private long timeoutMillis;
    private Path localSlots;

    private AgentArguments() {}

    /** The agent's program arguments (after the main class) for {@code c}. */
    static List<String> render(AgentCommand c) {
        List<String> args = c.isWorker()
                ? new ArrayList<>(List.of(STORE, c.storeUri(), BATCH, c.batchId()))
                : new ArrayList<>(List.of(STORE, c.storeUri(), JOB, c.jobId().value(), PAYLOAD, c.payloadSha256()));
        if (c.workerId() != null) {
            add(args, WORKER_ID, c.workerId());
        }
        if (!c.classpathSha256().isEmpty()) {
            add(args, CLASSPATH, String.join(",", c.classpathSha256()));
        }
        if (c.retries() > 0) {
            add(args, RETRIES, String.valueOf(c.retries()));
        }
        for (String jvmArg : c.jvmArgs()) {
            args.add(JVM_ARG + jvmArg);
        }
        if (c.workDir() != null) {
            add(args, WORK, c.workDir().toString());
        }
        if (c.cacheDir() != null) {
            add(args, CACHE, c.cacheDir().toString());
        }
        if (c.classArchives() != null) {
            add(args, CLASS_ARCHIVES, c.classArchives().toString());
        }
        if (c.timeoutMillis() > 0) {
            // Milliseconds, not ISO-8601: parsing a Duration compiles a regular expression, which bootstraps lambdas
            // on the agent's start-up path.
            add(args, TIMEOUT_MS, String.valueOf(c.timeoutMillis()));
        }
        if (c.localSlots() != null) {
            add(args, LOCAL_SLOTS, c.localSlots().toString());
        }
        if (c.hosts() > 1) {
            add(args, HOSTS, String.valueOf(c.hosts()));
            if (c.hostIndex() >= 0) {
                add(args, HOST_INDEX, String.valueOf(c.hostIndex()));
            }
            add(args, HOST_NAMES, String.join(",", c.hostNames()));
            add(args, COORDINATOR, c.coordinator());
            if (c.tpuWorkerEnv()) {
                args.add(TPU_WORKER_ENV);
            }
        }
        return args;
    }

    private static void add(List<String> args, String option, String value) {
        args.add(option);
        args.add(value);
    }

    static AgentCommand parse(String[] args) {
        AgentArguments parsed = new AgentArguments();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith(JVM_ARG)) {
                parsed.jvmArgs.add(a.substring(JVM_ARG.length()));
                continue;
            }
            if (a.equals(TPU_WORKER_ENV)) {
                parsed.tpu = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a + "; " + USAGE);
            }
            parsed.set(a, args[++i]);
        }
        return parsed.command();
    }

    private void set(String option, String v) {
        switch (option) {
            case STORE -> store = v;
            case JOB -> job = JobId.of(v);
            case PAYLOAD -> payload = v;
            case CLASSPATH -> classpath.addAll(List.of(v.split(",")));
            case RETRIES -> retries = number(RETRIES, v);
            case WORK -> work = Path.of(v);
            case CACHE -> cache = Path.of(v);
            case CLASS_ARCHIVES -> archives = Path.of(v);
            case HOSTS -> hosts = number(HOSTS, v);
            case HOST_INDEX -> hostIndex = number(HOST_INDEX, v);
            case HOST_NAMES -> names.addAll(List.of(v.split(",")));
            case COORDINATOR -> coordinator = v;
            case BATCH -> batch = v;
            case WORKER_ID -> worker = v;
            case TIMEOUT_MS -> timeoutMillis = millis(v);
            case LOCAL_SLOTS -> localSlots = Path.of(v);
            default -> throw new IllegalArgumentException("unknown agent option " + option + "; " + USAGE);
        }
    }

    private AgentCommand command() {
        if (store == null || (batch == null && (job == null || payload == null))) {
            throw new IllegalArgumentException(USAGE);
        }
        if (batch != null) {
            AgentCommand command = new AgentCommand(store, null, null, classpath, jvmArgs, 0, work, cache, archives);
            command.batchId = batch;
            command.workerId = worker;
            command.localSlots = localSlots;
            return command;
        }
        AgentCommand command =
                new AgentCommand(store, job, payload, classpath, jvmArgs, retries, work, cache, archives);
        command.timeoutMillis = timeoutMillis;
        command.localSlots = localSlots;
        if (hosts > 1) {
            if (names.size() != hosts || coordinator == null) {
                throw new IllegalArgumentException(HOSTS + " " + hosts + " needs " + hosts + " names in "
                        + HOST_NAMES + " (got " + names.size() + ") and " + COORDINATOR + "; "
                        + USAGE);
            }
            if (hostIndex >= hosts) {
                throw new IllegalArgumentException(
                        HOST_INDEX + " " + hostIndex + " is outside 0.." + (hosts - 1) + "; " + USAGE);
            }
            command.hosts = hosts;
            command.hostIndex = hostIndex;
            command.hostNames = List.copyOf(names);
            command.coordinator = coordinator;
            command.tpuWorkerEnv = tpu;
        }
        return command;
    }

    private static long millis(String v) {
        try {
            long n = Long.parseLong(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    TIMEOUT_MS + " needs a number of milliseconds of 1 or more, got '" + v + "'; " + USAGE);
        }
    }

    private static int number(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number of 0 or more, got '" + v + "'; " + USAGE);
        }
    }
}
