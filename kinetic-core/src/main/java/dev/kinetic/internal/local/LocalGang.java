package dev.kinetic.internal.local;

import dev.kinetic.KineticException;
import dev.kinetic.internal.agent.ProcessIdentity;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.LiveState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hosts of a multi-host job on this machine: one detached agent per host, each with its own state directory
 * ({@code <state>/} for host 0, {@code <state>/hosts/<i>/} for the others, each with its pid, output and agent log),
 * its own task JVM, and its own port on 127.0.0.1.
 */
final class LocalGang {
    /** A state directory whose agents are not all started after this long was left by a submitter that died. */
    static final Duration LAUNCH_GRACE = Duration.ofSeconds(15);

    private LocalGang() {}

    /** Host {@code host}'s state directory under the job's. */
    static Path stateDir(Path jobState, int host) {
        return host == 0 ? jobState : jobState.resolve("hosts").resolve(String.valueOf(host));
    }

    /**
     * One free port on 127.0.0.1 per host, as {@code 127.0.0.1:<port>}: every host binds its own, and host 0's is the
     * coordinator address. All are held open until all are chosen, so they differ; another process could still take one
     * before the task binds it, as with any ephemeral port.
     */
    static List<String> reserveAddresses(JobId id, int hosts) {
        List<ServerSocket> held = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        try {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            for (int i = 0; i < hosts; i++) {
                ServerSocket s = new ServerSocket(0, 1, loopback);
                held.add(s);
                addresses.add("127.0.0.1:" + s.getLocalPort());
            }
            return addresses;
        } catch (IOException e) {
            throw new KineticException(
                    id.value(),
                    "cannot find " + hosts + " free ports on 127.0.0.1 for the hosts of job " + id + ": "
                            + e.getMessage(),
                    e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // it was only held to keep the port from being chosen twice
                }
            }
        }
    }

    /** The agent of each host, in index order; empty where there is no pid file or the agent has exited. */
    static List<Optional<ProcessHandle>> agents(Path jobState, int hosts) {
        List<Optional<ProcessHandle>> out = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            out.add(agent(stateDir(jobState, i)));
        }
        return out;
    }

    /** The agent process in a host's state directory, if it is still the one started there. */
    static Optional<ProcessHandle> agent(Path hostState) {
        try {
            return ProcessIdentity.parse(Files.readString(hostState.resolve("pid")))
                    .running();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The job's live state from its hosts' agents: PENDING while not every agent is launched, RUNNING while any runs,
     * EXITED when none does. Host 0 decides the job's end: once its agent has exited, agents still running have
     * nobody to report to (its outcome stopped them already, or it was killed), so they are stopped here too.
     */
    static LiveState probe(Path jobState, int hosts) {
        int launched = 0;
        for (int i = 0; i < hosts; i++) {
            if (Files.exists(stateDir(jobState, i).resolve("pid"))) {
                launched++;
            }
        }
        List<Optional<ProcessHandle>> agents = agents(jobState, hosts);
        if (launched < hosts) {
            if (!olderThan(jobState, LAUNCH_GRACE)) {
                return LiveState.pending(
                        launched + " of " + hosts + " hosts scheduled: starting their agent processes");
            }
            stop(agents);
            return new LiveState(
                    LiveState.Phase.EXITED,
                    "only " + launched + " of " + hosts + " hosts were started (did the submitter die while "
                            + "submitting?); the others were stopped",
                    null,
                    null);
        }
        int alive = 0;
        Instant started = null;
        for (Optional<ProcessHandle> a : agents) {
            if (a.isPresent()) {
                alive++;
                Instant s = a.get().info().startInstant().orElse(null);
                started = started == null || (s != null && s.isBefore(started)) ? s : started;
            }
        }
        if (alive == 0) {
            return LiveState.of(LiveState.Phase.EXITED);
        }
        if (agents.get(0).isEmpty()) {
            stop(agents);
            return new LiveState(
                    LiveState.Phase.RUNNING, "host 0 has ended; stopping " + alive + " other hosts", null, started);
        }
        return new LiveState(LiveState.Phase.RUNNING, null, null, started);
    }

    /** SIGTERM to each agent still running (each forwards it to its task and records how it ended). */
    static void stop(List<Optional<ProcessHandle>> agents) {
        for (Optional<ProcessHandle> a : agents) {
            a.ifPresent(ProcessHandle::destroy);
        }
    }

    private static boolean olderThan(Path p, Duration age) {
        try {
            return Files.getLastModifiedTime(p)
                    .toInstant()
                    .isBefore(Instant.now().minus(age));
        } catch (IOException e) {
            return false;
        }
    }

    /** A TPU job's hosts also get libtpu's variables, so code written for a slice runs here unchanged. */
    static boolean isTpu(String accelerator) {
        try {
            return dev.kinetic.spi.accelerator.AcceleratorCatalog.builtIn()
                    .parse(accelerator)
                    .kind()
                    .equals("tpu");
        } catch (KineticException e) {
            return false;
        }
    }
}
