package dev.kinetic.internal.local;

import dev.kinetic.KineticException;
import dev.kinetic.internal.agent.ClassArchives;
import dev.kinetic.internal.agent.DeferredLaunch;
import dev.kinetic.internal.agent.ProcessIdentity;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.JobRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the local backend's detached processes, a job's agent or a batch's worker (the same JVM settings, class
 * archive and environment), each with its pid, output and log in a state directory of its own.
 */
final class AgentLauncher {
    /**
     * The agent only moves bytes: a small heap, the serial collector and the client compiler start it fast, and it
     * writes no perf-data file. Its class archive (CDS) comes from {@link ClassArchives}.
     */
    private static final List<String> AGENT_JVM_OPTIONS =
            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

    /** Environment variables the agent needs to reach the store as this session does (endpoints, credentials). */
    private static final List<String> PASSED_ON = List.of("KINETIC_", "AWS_", "GOOGLE_", "CLOUDSDK_");

    private final Path home;
    private final ProcessLauncher launcher;
    private final Map<String, String> agentEnvironment;
    /** Null when class-data-sharing archives are off. */
    private final ClassArchives archives;

    /**
     * @param environment the session's environment; its store-related variables are given to every agent
     * @param classArchives whether agent and task JVMs use class-data-sharing archives
     */
    AgentLauncher(Path home, ProcessLauncher launcher, Map<String, String> environment, boolean classArchives) {
        this.home = home;
        this.launcher = launcher;
        Map<String, String> passed = new java.util.TreeMap<>();
        environment.forEach((k, v) -> {
            if (PASSED_ON.stream().anyMatch(k::startsWith)) {
                passed.put(k, v);
            }
        });
        this.agentEnvironment = Map.copyOf(passed);
        this.archives = classArchives ? new ClassArchives(archivesDir()) : null;
    }

    /** Class-data-sharing archives of agent and task JVMs: they start in about half the time with one. */
    private Path archivesDir() {
        return home.resolve("cache").resolve("cds");
    }

    /**
     * Starts one detached agent whose pid, output and log live in {@code state}, {@code now} or when its turn in the
     * local queue comes (then its launch is kept in {@code state}, see {@link DeferredLaunch}).
     *
     * @param captured the captured environment values: they go into the agent's environment only (no file, log or
     *     store object holds them); a launch that carries any is never kept for later
     */
    void launch(JobRecord record, AgentCommand command, Path state, Map<String, String> captured, boolean now) {
        try {
            Files.createDirectories(state);
            List<String> cmd = new ArrayList<>();
            cmd.add("setsid");
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(AGENT_JVM_OPTIONS);
            String agentClasspath = AgentClasspath.of(command.storeUri());
            ClassArchives.Plan archive = LocalQueue.archivePlan(archives, agentClasspath, AGENT_JVM_OPTIONS, now);
            cmd.addAll(archive.options());
            cmd.add("-cp");
            cmd.add(agentClasspath);
            cmd.add(command.mainClass());
            AgentCommand local = command.withWorkDir(state.resolve("work"))
                    .withCacheDir(home.resolve("cache").resolve("cas"));
            cmd.addAll((archives == null ? local : local.withClassArchives(archivesDir())).arguments());
            Map<String, String> env = new HashMap<>(agentEnvironment);
            env.putAll(captured);
            env.put("KINETIC_HOME", home.toString());
            if (!now) {
                if (!captured.isEmpty()) {
                    throw new IllegalArgumentException("a launch with captured values is never kept in a file");
                }
                DeferredLaunch.write(state, cmd, env);
                return;
            }
            long pid = launcher.launch(cmd, env, state.resolve("output.log"), state.resolve("agent.log"));
            ProcessIdentity agent = ProcessIdentity.of(pid);
            if (archives != null) {
                archives.dumping(archive, agent); // a later launch finishes the archive once this agent exited
            }
            Path tmp = state.resolve("pid.tmp");
            Files.writeString(tmp, agent.text());
            Files.move(tmp, state.resolve("pid"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new KineticException(
                    record.id().value(),
                    "could not start the local agent for job " + record.id() + ": " + e.getMessage(),
                    e);
        }
    }
}
