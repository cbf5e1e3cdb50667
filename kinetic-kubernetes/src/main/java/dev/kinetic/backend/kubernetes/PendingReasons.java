package dev.kinetic.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a job is PENDING, from its pod's status and the Events of the Job and the pod, and whether waiting can heal
 * it. Events say what the pod status cannot: the Job controller's {@code FailedCreate} (quota, a missing service
 * account, an admission webhook) when there is no pod at all, the image pull's {@code Failed}, a secret's
 * {@code FailedMount}, and the cluster autoscaler's verdict on an unschedulable pod ({@code TriggeredScaleUp}: a
 * node is coming; {@code NotTriggerScaleUp}: no node pool can take it).
 *
 * <p>Waiting does not heal: an image that cannot be pulled, a pod the cluster refuses to create, a missing service
 * account or secret, no node pool that matches the pod's selectors. It heals: a scale-up in progress, a node pool
 * that is full for now, a container being created.
 */
final class PendingReasons {
    static final Set<String> IMAGE_PULL =
            Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable");
    /** The scheduler's words when no node matches the pod's node selector (nor could, until a pool is added). */
    private static final Pattern NO_NODE_MATCHES = Pattern.compile(
            "0/(\\d+) nodes are available: (\\d+) node\\(s\\) didn't match Pod's node affinity/selector");

    private PendingReasons() {}

    /**
     * @param reason for people: what the job waits for
     * @param heals whether waiting can change it (false: {@code pending-timeout} applies)
     */
    record Pending(String reason, boolean heals) {}

    /**
     * @param mapped the reason read from the pod alone ({@link JobStateMapper#pendingReason})
     * @param pod the job's newest pod, or null when there is none yet
     * @param events the Events of the Job and that pod, in any order
     */
    static Pending explain(String mapped, Pod pod, List<Event> events) {
        if (pod == null) {
            Optional<Event> failedCreate = newest(events, "FailedCreate");
            return failedCreate
                    .map(e -> new Pending("FailedCreate: " + e.getMessage(), false))
                    .orElseGet(() -> new Pending(mapped, true));
        }
        ContainerStateWaiting waiting = waiting(pod);
        String waitingReason = waiting == null ? null : waiting.getReason();
        if (waitingReason != null && IMAGE_PULL.contains(waitingReason)) {
            return new Pending(mapped, false);
        }
        if ("CreateContainerConfigError".equals(waitingReason)
                && waiting.getMessage() != null
                && waiting.getMessage().contains("not found")) {
            return new Pending(mapped, false); // a secret or config map the pod names does not exist
        }
        Optional<Event> pullFailed = newest(events, "Failed")
                .filter(e -> e.getMessage() != null && e.getMessage().contains("pull"));
        if (pullFailed.isPresent()) {
            return new Pending(
                    "ErrImagePull: " + pullFailed.get().getMessage()
                            + "; check KINETIC_IMAGE and that the nodes may pull from its registry",
                    false);
        }
        Optional<Event> mountFailed = newest(events, "FailedMount")
                .filter(e -> e.getMessage() != null && e.getMessage().contains("not found"));
        if (mountFailed.isPresent()) {
            return new Pending("FailedMount: " + mountFailed.get().getMessage(), false);
        }
        Optional<PodCondition> unschedulable = unschedulable(pod);
        if (unschedulable.isPresent()) {
            return unschedulable(unschedulable.get(), events);
        }
        return new Pending(mapped, true);
    }

    /** An unschedulable pod: the scheduler's message, and the autoscaler's verdict when it gave one. */
    private static Pending unschedulable(PodCondition condition, List<Event> events) {
        String scheduler = condition.getMessage() != null
                ? condition.getMessage()
                : newest(events, "FailedScheduling").map(Event::getMessage).orElse("no node fits the pod");
        String head = (condition.getReason() == null ? "Unschedulable" : condition.getReason()) + ": " + scheduler;
        Optional<Event> autoscaler = newest(events, "TriggeredScaleUp", "NotTriggerScaleUp", "FailedScaleUp");
        if (autoscaler.isPresent() && "TriggeredScaleUp".equals(autoscaler.get().getReason())) {
            return new Pending(
                    head + "; the cluster autoscaler is adding a node, which takes minutes ("
                            + autoscaler.get().getMessage() + ")",
                    true);
        }
        if (autoscaler.isPresent()) {
            return new Pending(
                    head + "; the cluster autoscaler cannot add a node for it ("
                            + autoscaler.get().getMessage()
                            + "); add a node pool with the accelerator's labels, or check its quota",
                    false);
        }
        Matcher m = NO_NODE_MATCHES.matcher(scheduler);
        if (m.find() && m.group(1).equals(m.group(2))) {
            return new Pending(
                    head + "; no node has the labels this accelerator needs: add a node pool for it (see `kinetic "
                            + "doctor --accelerator`)",
                    false);
        }
        return new Pending(
                head + " (the cluster autoscaler may be adding a node, which takes minutes; if this stays, check the "
                        + "node pools and quota for the accelerator)",
                true);
    }

    private static Optional<PodCondition> unschedulable(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                .findFirst();
    }

    private static ContainerStateWaiting waiting(Pod pod) {
        ContainerStatus status = JobStateMapper.agentStatus(pod);
        return status == null || status.getState() == null
                ? null
                : status.getState().getWaiting();
    }

    /** The newest event with one of these reasons. */
    static Optional<Event> newest(List<Event> events, String... reasons) {
        Set<String> wanted = Set.of(reasons);
        return events.stream()
                .filter(e -> wanted.contains(e.getReason()))
                .max(Comparator.comparing(PendingReasons::time));
    }

    /** When the event last happened: lastTimestamp, eventTime, firstTimestamp or creation, the first set. */
    static String time(Event e) {
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
            return e.getEventTime().getTime();
        }
        if (e.getFirstTimestamp() != null) {
            return e.getFirstTimestamp();
        }
        return e.getMetadata() == null || e.getMetadata().getCreationTimestamp() == null
                ? ""
                : e.getMetadata().getCreationTimestamp();
    }
}
