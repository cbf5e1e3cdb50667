package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.LiveState;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Job and its pods the way a person would with {@code kubectl describe}, and says what the backend
 * knows in one {@link LiveState} with a precise reason: why a pod is pending (Unschedulable with the
 * scheduler's message, an image that cannot be pulled, a container being created) and how it ended
 * (OOMKilled, exit code, Evicted, preempted, DeadlineExceeded, BackoffLimitExceeded). The store's outcome, when
 * there is one, still wins in the core; these reasons matter when the agent could not write one.
 */
final class JobStateMapper {
    private static final Set<String> IMAGE_PULL =
            Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable");

    private JobStateMapper() {}

    /**
     * @param job the Job, or null when the API server has none
     * @param pods the job's pods (any order)
     */
    static LiveState map(Job job, List<Pod> pods) {
        if (job == null) {
            return LiveState.of(LiveState.Phase.GONE);
        }
        Optional<Pod> newest = pods.stream()
                .max(Comparator.comparing(
                                (Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
                        .thenComparing(p -> p.getMetadata().getName()));
        Optional<JobCondition> failed = condition(job, "Failed").or(() -> condition(job, "FailureTarget"));
        if (failed.isPresent()) {
            return ended(job, failed.get(), newest.orElse(null));
        }
        if (condition(job, "Complete")
                .or(() -> condition(job, "SuccessCriteriaMet"))
                .isPresent()) {
            return new LiveState(LiveState.Phase.EXITED, null, 0, startedAt(newest.orElse(null)));
        }
        if (newest.isEmpty()) {
            boolean deleting = job.getMetadata().getDeletionTimestamp() != null;
            return deleting
                    ? LiveState.of(LiveState.Phase.GONE)
                    : LiveState.pending("waiting for the Job controller to create the pod");
        }
        return fromPod(job, newest.get());
    }

    private static LiveState fromPod(Job job, Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (phase == null || phase.equals("Pending")) {
            return LiveState.pending(pendingReason(pod));
        }
        return switch (phase) {
            case "Running" -> new LiveState(LiveState.Phase.RUNNING, null, null, startedAt(pod));
            case "Succeeded" -> new LiveState(LiveState.Phase.EXITED, null, 0, startedAt(pod));
            case "Failed" ->
                willRetry(job, pod)
                        ? LiveState.pending("pod " + pod.getMetadata().getName() + " failed (" + podFailure(pod)
                                + "); the Job controller starts another (retry " + failedCount(job) + " of "
                                + job.getSpec().getBackoffLimit() + ")")
                        : new LiveState(LiveState.Phase.EXITED, podFailure(pod), exitCode(pod), startedAt(pod));
            default ->
                new LiveState(
                        LiveState.Phase.UNKNOWN,
                        "pod " + pod.getMetadata().getName() + " is in phase " + phase
                                + " (its node stopped reporting)",
                        null,
                        startedAt(pod));
        };
    }

    /** A failed Job: the Job condition's reason, with the pod's own story when it has one. */
    private static LiveState ended(Job job, JobCondition condition, Pod pod) {
        String jobReason = condition.getReason() == null ? "Failed" : condition.getReason();
        String jobText = switch (jobReason) {
            case "DeadlineExceeded" -> {
                String limit = job.getMetadata().getAnnotations() == null
                        ? null
                        : job.getMetadata().getAnnotations().get(Labels.TIMEOUT_ANNOTATION);
                String timedOut = ActiveDeadline.timedOut(limit, job.getSpec().getActiveDeadlineSeconds());
                yield timedOut != null
                        ? timedOut
                        : "DeadlineExceeded: the Job ran longer than its active deadline ("
                                + job.getSpec().getActiveDeadlineSeconds() + " s)";
            }
            case "BackoffLimitExceeded" ->
                "BackoffLimitExceeded: the pod failed and the Job allows "
                        + job.getSpec().getBackoffLimit() + " retries";
            default -> jobReason + (condition.getMessage() == null ? "" : ": " + condition.getMessage());
        };
        if (pod == null) {
            return new LiveState(LiveState.Phase.EXITED, jobText, null, null);
        }
        String podText = podFailure(pod);
        String reason = jobReason.equals("DeadlineExceeded") || podText == null ? jobText : podText + "; " + jobText;
        return new LiveState(LiveState.Phase.EXITED, reason, exitCode(pod), startedAt(pod));
    }

    static String pendingReason(Pod pod) {
        Optional<PodCondition> scheduled = podCondition(pod, "PodScheduled");
        if (scheduled.isPresent() && "False".equals(scheduled.get().getStatus())) {
            PodCondition c = scheduled.get();
            String reason = c.getReason() == null ? "Unschedulable" : c.getReason();
            return reason + ": " + (c.getMessage() == null ? "no node fits the pod" : c.getMessage())
                    + " (the cluster autoscaler may be adding a node, which takes minutes; if this stays, check the "
                    + "node pools and quota for the accelerator)";
        }
        ContainerStatus status = agentStatus(pod);
        ContainerStateWaiting waiting = status == null || status.getState() == null
                ? null
                : status.getState().getWaiting();
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (waiting != null && waiting.getReason() != null) {
            String reason = waiting.getReason();
            if (IMAGE_PULL.contains(reason)) {
                return reason + ": cannot pull image " + image(pod, status)
                        + (waiting.getMessage() == null ? "" : " (" + waiting.getMessage() + ")")
                        + "; check KINETIC_IMAGE and that the nodes may pull from its registry";
            }
            if (reason.equals("ContainerCreating") || reason.equals("PodInitializing")) {
                return reason + (node == null ? "" : " on node " + node);
            }
            return reason + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage());
        }
        if (node != null || scheduled.isPresent()) {
            return "ContainerCreating" + (node == null ? "" : " on node " + node);
        }
        return "waiting to be scheduled";
    }

    static String podFailure(Pod pod) {
        var status = pod.getStatus();
        if (status != null && "Evicted".equals(status.getReason())) {
            return "Evicted: " + status.getMessage();
        }
        Optional<PodCondition> disruption =
                podCondition(pod, "DisruptionTarget").filter(c -> "True".equals(c.getStatus()));
        if (disruption.isPresent()) {
            PodCondition c = disruption.get();
            return "preempted or evicted (" + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage())
                    + ")";
        }
        if (status != null && "DeadlineExceeded".equals(status.getReason())) {
            return "DeadlineExceeded: " + status.getMessage();
        }
        ContainerStatus agent = agentStatus(pod);
        ContainerStateTerminated terminated = terminated(agent);
        if (terminated == null) {
            String why = status == null ? null : status.getReason();
            return "the pod failed before the agent ran"
                    + (why == null ? "" : " (" + why + ": " + status.getMessage() + ")");
        }
        if ("OOMKilled".equals(terminated.getReason())) {
            String limit = memoryLimit(pod);
            return "OOMKilled: the container ran out of memory" + (limit == null ? "" : " (limit " + limit + ")")
                    + " and was killed (exit code " + terminated.getExitCode() + "); raise KINETIC_MEMORY or lower the "
                    + "task heap (-Xmx)";
        }
        String lastWords = TerminationMessage.lastWords(terminated);
        if (lastWords != null) {
            // The agent's own account (or its log's last line): more precise than an exit code.
            return lastWords + " (the agent exited with code " + terminated.getExitCode() + ")";
        }
        return "the agent exited with code " + terminated.getExitCode()
                + (terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")");
    }

    private static boolean willRetry(Job job, Pod pod) {
        Integer limit = job.getSpec() == null ? null : job.getSpec().getBackoffLimit();
        if (limit == null || limit == 0 || failedCount(job) > limit) {
            return false;
        }
        // With a pod failure policy only disruptions are retried; a non-zero exit fails the Job at once.
        boolean disrupted = podCondition(pod, "DisruptionTarget")
                .filter(c -> "True".equals(c.getStatus()))
                .isPresent();
        return job.getSpec().getPodFailurePolicy() == null || disrupted;
    }

    private static int failedCount(Job job) {
        return job.getStatus() == null || job.getStatus().getFailed() == null
                ? 0
                : job.getStatus().getFailed();
    }

    private static Integer exitCode(Pod pod) {
        ContainerStateTerminated t = terminated(agentStatus(pod));
        return t == null ? null : t.getExitCode();
    }

    private static Instant startedAt(Pod pod) {
        if (pod == null) {
            return null;
        }
        ContainerStatus agent = agentStatus(pod);
        ContainerState state = agent == null ? null : agent.getState();
        if (state != null && state.getRunning() != null) {
            return instant(state.getRunning().getStartedAt());
        }
        if (state != null && state.getTerminated() != null) {
            return instant(state.getTerminated().getStartedAt());
        }
        return null;
    }

    private static ContainerStateTerminated terminated(ContainerStatus status) {
        if (status == null) {
            return null;
        }
        if (status.getState() != null && status.getState().getTerminated() != null) {
            return status.getState().getTerminated();
        }
        return status.getLastState() == null ? null : status.getLastState().getTerminated();
    }

    static ContainerStatus agentStatus(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> Labels.CONTAINER.equals(s.getName()))
                .findFirst()
                .orElse(
                        pod.getStatus().getContainerStatuses().isEmpty()
                                ? null
                                : pod.getStatus().getContainerStatuses().get(0));
    }

    private static String image(Pod pod, ContainerStatus status) {
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            for (var c : pod.getSpec().getContainers()) {
                if (c.getName().equals(status.getName())) {
                    return c.getImage();
                }
            }
        }
        return status.getImage();
    }

    private static String memoryLimit(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return null;
        }
        for (var c : pod.getSpec().getContainers()) {
            if (Labels.CONTAINER.equals(c.getName())
                    && c.getResources() != null
                    && c.getResources().getLimits() != null) {
                Quantity q = c.getResources().getLimits().get("memory");
                return q == null ? null : q.getAmount() + (q.getFormat() == null ? "" : q.getFormat());
            }
        }
        return null;
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst();
    }

    private static Optional<PodCondition> podCondition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    private static Instant instant(String time) {
        try {
            return time == null ? null : Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
