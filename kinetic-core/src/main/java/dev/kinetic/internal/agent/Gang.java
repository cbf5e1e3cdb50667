package dev.kinetic.internal.agent;

import dev.kinetic.JobStatus;
import dev.kinetic.internal.protocol.EventType;
import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.JobEvent;
import dev.kinetic.internal.protocol.JobOutcome;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * How the hosts of a multi-host job learn about each other, through the store every backend already shares. It is a
 * star, as the coordinator address is: host 0 watches the others' events ({@code jobs/<id>/hosts/}) and decides the
 * job's end; the others watch only the job's own events ({@code jobs/<id>/events/}), which host 0 writes. One listing
 * per host per poll, whatever the number of hosts.
 *
 * <ul>
 *   <li>A host whose task fails records its failure under its own prefix; host 0 sees it, stops its own task and
 *       writes the job's outcome as that host's failure; the others see the job's end event and stop.
 *   <li>A host stopped by a disruption with retries left records {@code attempt-terminated}; host 0 sees it and ends
 *       its attempt the same way, and so do the others on seeing host 0's: the backend then starts the whole gang
 *       again (never one host alone).
 * </ul>
 *
 * <p>On the agent's path: loops, no lambdas (see {@link Agent}).
 */
final class Gang {
    /** How often a host looks at the store for its peers while its task runs. */
    static final long POLL_MILLIS = 1000;
    /** How often host 0, its own task done, looks whether the others have ended. */
    private static final long WAIT_POLL_MILLIS = 500;
    /** How long a task stopped because of its peers has to exit after SIGTERM before it is killed. */
    private static final long STOP_GRACE_MILLIS = 5000;

    /** What a host learned from its peers. */
    enum Signal {
        NONE,
        /** (host 0) another host failed. */
        PEER_FAILED,
        /** (host 0) another host's attempt was stopped by a disruption. */
        PEER_RESTARTING,
        /** (hosts 1..n-1) host 0 recorded the job's end. */
        JOB_ENDED,
        /** (hosts 1..n-1) host 0 ended its attempt to restart the gang. */
        JOB_RESTARTING
    }

    private final BlobStore store;
    private final JobId jobId;
    private final int host;
    private final int hosts;
    /** What made this host stop its task, if anything did. */
    private volatile Signal stopped = Signal.NONE;
    /** The job's outcome is another host's failure (so this host's own termination is not a disruption). */
    private boolean peerDecided;

    Gang(BlobStore store, JobId jobId, int host, int hosts) {
        this.store = store;
        this.jobId = jobId;
        this.host = host;
        this.hosts = hosts;
    }

    int host() {
        return host;
    }

    int hosts() {
        return hosts;
    }

    /**
     * Looks once. {@code since}: events of an earlier attempt (before this host's task started) are not this attempt's.
     */
    Signal look(Instant since) {
        if (host == 0) {
            Signal signal = Signal.NONE;
            for (BlobInfo b : store.list(JobLayout.hostsPrefix(jobId))) {
                EventType type = JobLayout.hostOf(b.key()) > 0 ? JobEvent.typeOf(b.key()) : null;
                if (type == EventType.ENDED_FAILED) {
                    return Signal.PEER_FAILED;
                }
                if (type == EventType.ATTEMPT_TERMINATED
                        && since != null
                        && !JobEvent.timeOf(b.key()).isBefore(since)) {
                    signal = Signal.PEER_RESTARTING;
                }
            }
            return signal;
        }
        for (BlobInfo b : store.list(JobLayout.eventPrefix(jobId))) {
            EventType type = JobEvent.typeOf(b.key());
            if (type != null && type.isEnd()) {
                return Signal.JOB_ENDED;
            }
            if (type == EventType.ATTEMPT_TERMINATED
                    && since != null
                    && !JobEvent.timeOf(b.key()).isBefore(since)) {
                return Signal.JOB_RESTARTING;
            }
        }
        return Signal.NONE;
    }

    /** (host 0) The host that failed first (earliest end event), or -1 when none has. */
    int firstFailedPeer() {
        int first = -1;
        Instant firstAt = null;
        for (BlobInfo b : store.list(JobLayout.hostsPrefix(jobId))) {
            int peer = JobLayout.hostOf(b.key());
            if (peer > 0 && JobEvent.typeOf(b.key()) == EventType.ENDED_FAILED) {
                Instant at = JobEvent.timeOf(b.key());
                if (firstAt == null || at.isBefore(firstAt) || (at.equals(firstAt) && peer < first)) {
                    first = peer;
                    firstAt = at;
                }
            }
        }
        return first;
    }

    /** (host 0) When host {@code peer} recorded its failure, or null. */
    Instant failedAt(int peer) {
        for (BlobInfo b : store.list(JobLayout.eventPrefix(jobId, peer))) {
            if (JobEvent.typeOf(b.key()) == EventType.ENDED_FAILED) {
                return JobEvent.timeOf(b.key());
            }
        }
        return null;
    }

    /** (host 0) The hosts other than 0 that have not recorded their end yet, in index order. */
    List<Integer> runningPeers() {
        Set<Integer> ended = new HashSet<>();
        for (BlobInfo b : store.list(JobLayout.hostsPrefix(jobId))) {
            EventType type = JobEvent.typeOf(b.key());
            if (type != null && type.isEnd()) {
                ended.add(JobLayout.hostOf(b.key()));
            }
        }
        List<Integer> running = new ArrayList<>();
        for (int i = 1; i < hosts; i++) {
            if (!ended.contains(i)) {
                running.add(i);
            }
        }
        return running;
    }

    /**
     * (host 0) The job's outcome when host {@code peer} failed: that host's own outcome, marked with its index. Its
     * {@code result.bin} stays under the host's prefix, where the outcome's hash and host say to find it.
     */
    JobOutcome peerFailure(int peer) {
        String key = JobLayout.resultMeta(jobId, peer);
        Optional<byte[]> json;
        try {
            json = store.get(key);
        } catch (RuntimeException e) {
            json = Optional.empty();
        }
        if (json.isPresent()) {
            try {
                JobOutcome o = JobOutcome.fromJson(json.get(), key);
                if (o.status() == JobStatus.FAILED) {
                    return o.toBuilder().host(peer).build();
                }
            } catch (RuntimeException unreadable) {
                // described below from what is known
            }
        }
        return JobOutcome.failed(
                        FailurePhase.AGENT,
                        "host " + peer + " failed; its outcome " + key + " could not be read: see `kinetic jobs logs "
                                + jobId + " --host " + peer + "`")
                .host(peer)
                .endedAt(Instant.now())
                .build();
    }

    /**
     * This host's index: the backend's {@code --host-index}, else an Indexed Job's {@value
     * AgentCommand#COMPLETION_INDEX_ENV}, else 0.
     *
     * @throws IllegalArgumentException when the index is not a number in 0..hosts-1
     */
    static int hostIndex(AgentCommand command, Map<String, String> environment) {
        if (command.hostIndex() >= 0) {
            return command.hostIndex();
        }
        String fromJob = environment.get(AgentCommand.COMPLETION_INDEX_ENV);
        if (fromJob == null || command.hosts() == 1) {
            return 0;
        }
        int index;
        try {
            index = Integer.parseInt(fromJob.trim());
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (index < 0 || index >= command.hosts()) {
            throw new IllegalArgumentException(AgentCommand.COMPLETION_INDEX_ENV + "=" + fromJob
                    + " is not a host index in 0.." + (command.hosts() - 1));
        }
        return index;
    }

    /**
     * What every host's task gets: {@code KINETIC_HOST_INDEX} and {@code KINETIC_HOST_COUNT} (also for one host), and
     * for several {@code KINETIC_COORDINATOR_ADDRESS} and {@code KINETIC_HOSTS}; on a TPU slice also libtpu's {@code
     * TPU_WORKER_ID} and {@code TPU_WORKER_HOSTNAMES}, unless GKE already injected them into the agent's environment
     * (they then reach the task unchanged, and ours would be the same: the index, and the host names without ports).
     */
    static void addTaskEnvironment(
            Map<String, String> env, AgentCommand command, int host, Map<String, String> agentEnvironment) {
        env.put("KINETIC_HOST_INDEX", String.valueOf(host));
        env.put("KINETIC_HOST_COUNT", String.valueOf(command.hosts()));
        if (command.hosts() < 2) {
            return;
        }
        env.put("KINETIC_COORDINATOR_ADDRESS", command.coordinator());
        env.put("KINETIC_HOSTS", String.join(",", command.hostNames()));
        if (command.tpuWorkerEnv() && !agentEnvironment.containsKey("TPU_WORKER_ID")) {
            List<String> names = new ArrayList<>();
            for (String name : command.hostNames()) {
                int colon = name.lastIndexOf(':');
                names.add(colon < 0 ? name : name.substring(0, colon));
            }
            env.put("TPU_WORKER_ID", String.valueOf(host));
            env.put("TPU_WORKER_HOSTNAMES", String.join(",", names));
        }
    }

    /** Called at an interval while the task runs: stops it when the peers say this host's work is over. */
    void watch(TaskProcess task, Instant since) {
        if (stopped != Signal.NONE || task == null) {
            return;
        }
        Signal signal;
        try {
            signal = look(since);
        } catch (RuntimeException e) {
            return; // the store is briefly unreachable: look again at the next poll
        }
        if (signal == Signal.NONE) {
            return;
        }
        stopped = signal;
        System.err.println("kinetic agent: host " + host + " of " + hosts + ": " + describe(signal)
                + "; stopping this host's task");
        Thread stopper = new Thread("kinetic-agent-gang-stop") {
            @Override
            public void run() {
                try {
                    task.terminate(STOP_GRACE_MILLIS);
                } catch (InterruptedException e) {
                    task.kill();
                }
            }
        };
        stopper.setDaemon(true);
        stopper.start();
    }

    /**
     * The outcome this host records, from its own: host 0 decides the job's (the first failing host's failure, or its
     * own once every other host has ended), the others record their own, marked as stopped when the job ended first.
     */
    JobOutcome decide(JobOutcome own, JobWriter writer, BooleanSupplier terminating) {
        if (host > 0) {
            if (stopped == Signal.JOB_ENDED && own.status() != JobStatus.SUCCEEDED) {
                return JobOutcome.cancelled("stopped: the job ended on host 0")
                        .exitCode(own.exitCode())
                        .startedAt(own.startedAt())
                        .endedAt(Instant.now())
                        .host(host)
                        .build();
            }
            return own.toBuilder().host(host).build();
        }
        if (own.status() == JobStatus.CANCELLED) {
            return own; // a cancellation stops every host; what they record then does not change it
        }
        JobOutcome peer = firstPeerFailure(own);
        if (peer != null) {
            return peer;
        }
        if (own.status() == JobStatus.SUCCEEDED) {
            return awaitPeers(own, writer, terminating);
        }
        return own.status() == JobStatus.FAILED ? own.toBuilder().host(0).build() : own;
    }

    /** Whether this attempt ends to restart the gang rather than with an outcome (with retries left). */
    boolean restarting() {
        return !peerDecided && (stopped == Signal.PEER_RESTARTING || stopped == Signal.JOB_RESTARTING);
    }

    /** Whether the job's outcome is another host's failure: this host's own end then is no disruption to retry. */
    boolean peerDecided() {
        return peerDecided;
    }

    /** (host 0) The job's outcome when another host failed before this one did, else null. */
    private JobOutcome firstPeerFailure(JobOutcome own) {
        int failed;
        try {
            failed = firstFailedPeer();
        } catch (RuntimeException e) {
            return null;
        }
        if (failed < 0) {
            return null;
        }
        if (own.status() == JobStatus.FAILED && stopped != Signal.PEER_FAILED && own.endedAt() != null) {
            Instant at = failedAt(failed);
            if (at != null && own.endedAt().isBefore(at)) {
                return null; // host 0 failed first
            }
        }
        peerDecided = true;
        return peerFailure(failed);
    }

    /** (host 0) Host 0 succeeded: the job succeeds once every other host has, and fails if one of them fails. */
    private JobOutcome awaitPeers(JobOutcome own, JobWriter writer, BooleanSupplier terminating) {
        boolean said = false;
        while (true) {
            List<Integer> running;
            try {
                running = runningPeers();
            } catch (RuntimeException e) {
                running = null; // look again
            }
            JobOutcome peer = firstPeerFailure(own);
            if (peer != null) {
                return peer;
            }
            if (running != null && running.isEmpty()) {
                return own;
            }
            if (terminating.getAsBoolean()) {
                return writer.cancelRequested()
                        ? JobOutcome.cancelled("cancelled by request while host 0 waited for the other hosts")
                                .startedAt(own.startedAt())
                                .endedAt(Instant.now())
                                .build()
                        : JobOutcome.failed(
                                        FailurePhase.AGENT,
                                        "agent terminated (SIGTERM) while host 0 waited for hosts " + running)
                                .startedAt(own.startedAt())
                                .endedAt(Instant.now())
                                .host(0)
                                .build();
            }
            if (!said && running != null) {
                System.err.println("kinetic agent: host 0's task ended; waiting for hosts " + running + " to end");
                said = true;
            }
            try {
                Thread.sleep(WAIT_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return own;
            }
        }
    }

    private static String describe(Signal signal) {
        switch (signal) {
            case PEER_FAILED:
                return "another host failed";
            case PEER_RESTARTING:
                return "another host was stopped by a disruption; the whole gang restarts";
            case JOB_ENDED:
                return "the job ended on host 0";
            case JOB_RESTARTING:
                return "host 0 ended this attempt; the whole gang restarts";
            default:
                return signal.name();
        }
    }
}
