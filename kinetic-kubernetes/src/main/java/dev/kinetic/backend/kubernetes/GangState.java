package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.LiveState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link JobStateMapper} for a multi-host job's Indexed Job: one live state for all its pods. PENDING until every
 * index has a pod on a node, saying how many have and why the first that has not is waiting (the scheduler's
 * message); RUNNING while any host runs; EXITED when the Job has ended or every host's pod has.
 */
final class GangState {
    private GangState() {}

    static LiveState map(Job job, List<Pod> pods, int hosts) {
        if (job == null) {
            return LiveState.of(LiveState.Phase.GONE);
        }
        Map<Integer, Pod> byIndex = newestByIndex(pods);
        int stopping = 0;
        for (Pod p : byIndex.values()) {
            String phase = phase(p);
            stopping += phase.equals("Running") || (phase.equals("Pending") && scheduled(p, phase)) ? 1 : 0;
        }
        if (ended(job) && stopping > 0) {
            // The Job has failed (one host failed) or completed, and the controller is stopping the other pods: host
            // 0 writes the job's outcome meanwhile, so the job has not ended until they are gone.
            return new LiveState(
                    LiveState.Phase.RUNNING,
                    "the Job has ended; stopping " + stopping + " of " + hosts + " hosts",
                    null,
                    null);
        }
        if (ended(job)) {
            // The Job's condition and the story of the pod that ended it: the first that failed, else host 0's.
            Pod telling = firstFailed(byIndex);
            if (telling == null) {
                telling = byIndex.get(0);
            }
            return JobStateMapper.map(job, telling == null ? List.of() : List.of(telling));
        }
        int scheduled = 0;
        String waiting = null;
        String starting = null;
        int terminal = 0;
        Instant started = null;
        for (int i = 0; i < hosts; i++) {
            Pod p = byIndex.get(i);
            if (p == null) {
                waiting =
                        waiting != null ? waiting : "host " + i + ": waiting for the Job controller to create its pod";
                continue;
            }
            String phase = phase(p);
            if (!scheduled(p, phase)) {
                waiting = waiting != null ? waiting : "host " + i + ": " + JobStateMapper.pendingReason(p);
                continue;
            }
            scheduled++;
            if (phase.equals("Pending")) {
                starting = starting != null ? starting : "host " + i + ": " + JobStateMapper.pendingReason(p);
            } else if (phase.equals("Succeeded") || phase.equals("Failed")) {
                terminal++;
            } else if (phase.equals("Running")) {
                Instant s = instant(p);
                started = started == null || (s != null && s.isBefore(started)) ? s : started;
            }
        }
        if (scheduled < hosts) {
            return LiveState.pending(scheduled + " of " + hosts + " hosts scheduled: " + waiting);
        }
        if (terminal == hosts) {
            Pod zero = byIndex.get(0);
            return JobStateMapper.map(job, List.of(zero));
        }
        if (starting != null && started == null) {
            return LiveState.pending(hosts + " of " + hosts + " hosts scheduled; " + starting);
        }
        return new LiveState(LiveState.Phase.RUNNING, null, null, started);
    }

    /**
     * Where a pending gang waits: the first host without a node, else the first that is on a node but still
     * starting; {@code prefix} is how {@link #map} begins the reason for it, {@code pod} is null when the Job
     * controller has not created that host's pod.
     */
    record Waiting(int host, Pod pod, String prefix) {}

    static Optional<Waiting> waiting(List<Pod> pods, int hosts) {
        Map<Integer, Pod> byIndex = newestByIndex(pods);
        int scheduled = 0;
        Waiting unscheduled = null;
        Waiting starting = null;
        for (int i = 0; i < hosts; i++) {
            Pod p = byIndex.get(i);
            if (p == null || !scheduled(p, phase(p))) {
                unscheduled = unscheduled != null ? unscheduled : new Waiting(i, p, "");
                continue;
            }
            scheduled++;
            if (phase(p).equals("Pending") && starting == null) {
                starting = new Waiting(i, p, "");
            }
        }
        if (unscheduled != null) {
            String prefix = scheduled + " of " + hosts + " hosts scheduled: host " + unscheduled.host() + ": ";
            return Optional.of(new Waiting(unscheduled.host(), unscheduled.pod(), prefix));
        }
        if (starting != null) {
            String prefix = hosts + " of " + hosts + " hosts scheduled; host " + starting.host() + ": ";
            return Optional.of(new Waiting(starting.host(), starting.pod(), prefix));
        }
        return Optional.empty();
    }

    /** The pods of each index, the newest where the controller made several (a retried gang). */
    static Map<Integer, Pod> newestByIndex(List<Pod> pods) {
        Map<Integer, Pod> out = new TreeMap<>();
        for (Pod p : pods) {
            int index = index(p);
            Pod seen = out.get(index);
            if (index >= 0 && (seen == null || created(p).compareTo(created(seen)) > 0)) {
                out.put(index, p);
            }
        }
        return out;
    }

    /** A pod's index, from the label the Job controller sets (1.28+) or its annotation; -1 when it has none. */
    static int index(Pod p) {
        String value = null;
        if (p.getMetadata().getLabels() != null) {
            value = p.getMetadata().getLabels().get(MultiHostSpec.COMPLETION_INDEX);
        }
        if (value == null && p.getMetadata().getAnnotations() != null) {
            value = p.getMetadata().getAnnotations().get(MultiHostSpec.COMPLETION_INDEX);
        }
        try {
            return value == null ? -1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Pod firstFailed(Map<Integer, Pod> byIndex) {
        Pod first = null;
        String firstAt = null;
        for (Pod p : byIndex.values()) {
            var agent = JobStateMapper.agentStatus(p);
            var terminated = agent == null || agent.getState() == null
                    ? null
                    : agent.getState().getTerminated();
            if ("Failed".equals(phase(p))
                    && terminated != null
                    && terminated.getExitCode() != null
                    && terminated.getExitCode() != MultiHostSpec.RESTART_EXIT_CODE) {
                String at = String.valueOf(terminated.getFinishedAt());
                if (first == null || at.compareTo(firstAt) < 0) {
                    first = p;
                    firstAt = at;
                }
            }
        }
        return first;
    }

    private static boolean ended(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return false;
        }
        for (JobCondition c : job.getStatus().getConditions()) {
            if ("True".equals(c.getStatus())
                    && List.of("Failed", "FailureTarget", "Complete", "SuccessCriteriaMet")
                            .contains(c.getType())) {
                return true;
            }
        }
        return false;
    }

    private static boolean scheduled(Pod p, String phase) {
        if (!phase.equals("Pending")) {
            return true;
        }
        if (p.getSpec() != null && p.getSpec().getNodeName() != null) {
            return true;
        }
        if (p.getStatus() != null && p.getStatus().getConditions() != null) {
            for (PodCondition c : p.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType())) {
                    return "True".equals(c.getStatus());
                }
            }
        }
        return false;
    }

    private static String phase(Pod p) {
        return p.getStatus() == null || p.getStatus().getPhase() == null
                ? "Pending"
                : p.getStatus().getPhase();
    }

    private static String created(Pod p) {
        return String.valueOf(p.getMetadata().getCreationTimestamp())
                + p.getMetadata().getName();
    }

    private static Instant instant(Pod p) {
        var agent = JobStateMapper.agentStatus(p);
        if (agent == null || agent.getState() == null || agent.getState().getRunning() == null) {
            return null;
        }
        try {
            return Instant.parse(agent.getState().getRunning().getStartedAt());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
