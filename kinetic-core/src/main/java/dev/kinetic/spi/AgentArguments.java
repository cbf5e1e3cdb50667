package dev.kinetic.spi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parser of {@link AgentCommand#parse}: the options of a job's agent or a batch's worker, as {@link
 * AgentCommand#arguments()} renders them. On the agent's start-up path, so no lambdas or records here either.
 */
final class AgentArguments {
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

    private AgentArguments() {}

    static AgentCommand parse(String[] args) {
        AgentArguments parsed = new AgentArguments();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith(AgentCommand.JVM_ARG)) {
                parsed.jvmArgs.add(a.substring(AgentCommand.JVM_ARG.length()));
                continue;
            }
            if (a.equals(AgentCommand.TPU_WORKER_ENV)) {
                parsed.tpu = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a + "; " + AgentCommand.USAGE);
            }
            parsed.set(a, args[++i]);
        }
        return parsed.command();
    }

    private void set(String option, String v) {
        switch (option) {
            case AgentCommand.STORE -> store = v;
            case AgentCommand.JOB -> job = JobId.of(v);
            case AgentCommand.PAYLOAD -> payload = v;
            case AgentCommand.CLASSPATH -> classpath.addAll(List.of(v.split(",")));
            case AgentCommand.RETRIES -> retries = number(AgentCommand.RETRIES, v);
            case AgentCommand.WORK -> work = Path.of(v);
            case AgentCommand.CACHE -> cache = Path.of(v);
            case AgentCommand.CLASS_ARCHIVES -> archives = Path.of(v);
            case AgentCommand.HOSTS -> hosts = number(AgentCommand.HOSTS, v);
            case AgentCommand.HOST_INDEX -> hostIndex = number(AgentCommand.HOST_INDEX, v);
            case AgentCommand.HOST_NAMES -> names.addAll(List.of(v.split(",")));
            case AgentCommand.COORDINATOR -> coordinator = v;
            case AgentCommand.BATCH -> batch = v;
            case AgentCommand.WORKER_ID -> worker = v;
            default -> throw new IllegalArgumentException("unknown agent option " + option + "; " + AgentCommand.USAGE);
        }
    }

    private AgentCommand command() {
        if (store == null || (batch == null && (job == null || payload == null))) {
            throw new IllegalArgumentException(AgentCommand.USAGE);
        }
        if (batch != null) {
            AgentCommand command = new AgentCommand(store, null, null, classpath, jvmArgs, 0, work, cache, archives);
            command.batchId = batch;
            command.workerId = worker;
            return command;
        }
        AgentCommand command =
                new AgentCommand(store, job, payload, classpath, jvmArgs, retries, work, cache, archives);
        if (hosts > 1) {
            if (names.size() != hosts || coordinator == null) {
                throw new IllegalArgumentException(AgentCommand.HOSTS + " " + hosts + " needs " + hosts + " names in "
                        + AgentCommand.HOST_NAMES + " (got " + names.size() + ") and " + AgentCommand.COORDINATOR + "; "
                        + AgentCommand.USAGE);
            }
            if (hostIndex >= hosts) {
                throw new IllegalArgumentException(AgentCommand.HOST_INDEX + " " + hostIndex + " is outside 0.."
                        + (hosts - 1) + "; " + AgentCommand.USAGE);
            }
            command.hosts = hosts;
            command.hostIndex = hostIndex;
            command.hostNames = List.copyOf(names);
            command.coordinator = coordinator;
            command.tpuWorkerEnv = tpu;
        }
        return command;
    }

    private static int number(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    option + " needs a number of 0 or more, got '" + v + "'; " + AgentCommand.USAGE);
        }
    }
}
