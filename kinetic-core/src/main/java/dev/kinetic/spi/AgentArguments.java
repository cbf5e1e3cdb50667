package dev.kinetic.spi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's command line as text: {@link AgentCommand}'s options rendered ({@link #render}) and parsed back
 * ({@link #parse}) in one place, so the two never disagree. Parsing fills this holder, from which
 * {@link AgentCommand#parse} builds the command.
 *
 * <p>On the agent's start-up path: loops and a switch, no lambdas or regular expressions (see the agent).
 */
final class AgentArguments {
    private static final String STORE = "--store";
    private static final String JOB = "--job";
    private static final String PAYLOAD = "--payload";
    private static final String CLASSPATH = "--classpath";
    private static final String RETRIES = "--retries";
    private static final String JVM_ARG = "--jvm-arg=";
    private static final String WORK = "--work";
    private static final String CACHE = "--cache";
    private static final String CLASS_ARCHIVES = "--class-archives";
    private static final String HOSTS = "--hosts";
    private static final String HOST_INDEX = "--host-index";
    private static final String HOST_NAMES = "--host-names";
    private static final String COORDINATOR = "--coordinator";
    private static final String TPU_WORKER_ENV = "--tpu-worker-env";
    private static final String TIMEOUT_MS = "--timeout-ms";
    private static final String LOCAL_SLOTS = "--local-slots";
    private static final String USAGE = "usage: Agent --store URI --job ID --payload SHA256 [--classpath SHA,...] "
            + "[--jvm-arg=OPT]... [--retries N] [--work DIR] [--cache DIR] [--class-archives DIR] [--hosts N "
            + "[--host-index I] --host-names NAME,... --coordinator HOST:PORT [--tpu-worker-env]] [--timeout-ms N] "
            + "[--local-slots DIR]";

    String store;
    JobId job;
    String payload;
    final List<String> classpath = new ArrayList<>();
    final List<String> jvmArgs = new ArrayList<>();
    int retries;
    Path work;
    Path cache;
    Path archives;
    int hosts = 1;
    int hostIndex = -1;
    final List<String> names = new ArrayList<>();
    String coordinator;
    boolean tpu;
    long timeoutMillis;
    Path localSlots;

    private AgentArguments() {}

    /** The agent's program arguments (after the main class) for {@code c}. */
    static List<String> render(AgentCommand c) {
        List<String> args =
                new ArrayList<>(List.of(STORE, c.storeUri(), JOB, c.jobId().value(), PAYLOAD, c.payloadSha256()));
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

    /**
     * Parses what {@link #render} rendered, checking that the options go together.
     *
     * @throws IllegalArgumentException naming the bad option, with the usage
     */
    static AgentArguments parse(String[] args) {
        AgentArguments a = new AgentArguments();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.startsWith(JVM_ARG)) {
                a.jvmArgs.add(option.substring(JVM_ARG.length()));
            } else if (option.equals(TPU_WORKER_ENV)) {
                a.tpu = true;
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + option + "; " + USAGE);
            } else {
                a.option(option, args[++i]);
            }
        }
        if (a.store == null || a.job == null || a.payload == null) {
            throw new IllegalArgumentException(USAGE);
        }
        if (a.hosts > 1 && (a.names.size() != a.hosts || a.coordinator == null)) {
            throw new IllegalArgumentException(HOSTS + " " + a.hosts + " needs " + a.hosts + " names in " + HOST_NAMES
                    + " (got " + a.names.size() + ") and " + COORDINATOR + "; " + USAGE);
        }
        if (a.hosts > 1 && a.hostIndex >= a.hosts) {
            throw new IllegalArgumentException(
                    HOST_INDEX + " " + a.hostIndex + " is outside 0.." + (a.hosts - 1) + "; " + USAGE);
        }
        return a;
    }

    private void option(String option, String v) {
        switch (option) {
            case STORE -> store = v;
            case JOB -> job = JobId.of(v);
            case PAYLOAD -> payload = v;
            case CLASSPATH -> classpath.addAll(List.of(v.split(",")));
            case RETRIES -> retries = parseNumber(RETRIES, v);
            case WORK -> work = Path.of(v);
            case CACHE -> cache = Path.of(v);
            case CLASS_ARCHIVES -> archives = Path.of(v);
            case HOSTS -> hosts = parseNumber(HOSTS, v);
            case HOST_INDEX -> hostIndex = parseNumber(HOST_INDEX, v);
            case HOST_NAMES -> names.addAll(List.of(v.split(",")));
            case COORDINATOR -> coordinator = v;
            case TIMEOUT_MS -> timeoutMillis = parseMillis(v);
            case LOCAL_SLOTS -> localSlots = Path.of(v);
            default -> throw new IllegalArgumentException("unknown agent option " + option + "; " + USAGE);
        }
    }

    private static long parseMillis(String v) {
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

    private static int parseNumber(String option, String v) {
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
