package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which PENDING reasons heal by waiting and which end a job after {@code pending-timeout}, event by event. */
class PendingReasonsTest {
    private static final String NO_MATCH = "0/3 nodes are available: 3 node(s) didn't match Pod's node "
            + "affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";

    @Test
    void noPodAndAFailedCreateEventDoesNotHeal() {
        PendingReasons.Pending p = PendingReasons.explain(
                "waiting for the Job controller to create the pod",
                null,
                List.of(event(
                        "FailedCreate", "Error creating: pods \"x\" is forbidden: exceeded quota: gpu-quota", 1)));
        assertThat(p.heals()).isFalse();
        assertThat(p.reason())
                .isEqualTo("FailedCreate: Error creating: pods \"x\" is forbidden: exceeded quota: " + "gpu-quota");
        assertThat(PendingReasons.explain("waiting for the Job controller to create the pod", null, List.of())
                        .heals())
                .isTrue();
    }

    @Test
    void noNodePoolThatMatchesDoesNotHeal() {
        Pod pod = unschedulable(NO_MATCH);
        assertThat(PendingReasons.explain("x", pod, List.of()).heals())
                .as("the scheduler says no node matches the selectors, and no autoscaler is adding one")
                .isFalse();
        PendingReasons.Pending refused = PendingReasons.explain(
                "x",
                pod,
                List.of(event(
                        "NotTriggerScaleUp",
                        "pod didn't trigger scale-up: 2 node(s) didn't match Pod's node affinity/selector",
                        2)));
        assertThat(refused.heals()).isFalse();
        assertThat(refused.reason())
                .startsWith("Unschedulable: 0/3 nodes are available")
                .contains("the cluster autoscaler cannot add a node for it (pod didn't trigger scale-up");
    }

    @Test
    void aScaleUpInProgressHeals() {
        PendingReasons.Pending p = PendingReasons.explain(
                "x",
                unschedulable(NO_MATCH),
                List.of(
                        event("NotTriggerScaleUp", "pod didn't trigger scale-up: max node group size reached", 1),
                        event("TriggeredScaleUp", "pod triggered scale-up: [{gke-ml-l4-pool 0->1 (max: 4)}]", 2)));
        assertThat(p.heals()).as("the newest autoscaler event wins").isTrue();
        assertThat(p.reason())
                .contains("the cluster autoscaler is adding a node")
                .contains("0->1");
        assertThat(PendingReasons.explain(
                                "x",
                                unschedulable("0/1 nodes are available: 1 Insufficient nvidia.com/gpu."),
                                List.of())
                        .heals())
                .as("a full node pool frees up by waiting")
                .isTrue();
    }

    @Test
    void imagesSecretsAndMountsThatDoNotExistDoNotHeal() {
        assertThat(PendingReasons.explain(
                                "ImagePullBackOff: cannot pull image x", waiting("ImagePullBackOff", "x"), List.of())
                        .heals())
                .isFalse();
        assertThat(PendingReasons.explain(
                                "CreateContainerConfigError",
                                waiting("CreateContainerConfigError", "secret \"wandb\" not found"),
                                List.of())
                        .heals())
                .isFalse();
        PendingReasons.Pending mount = PendingReasons.explain(
                "ContainerCreating on node n1",
                waiting("ContainerCreating", null),
                List.of(event(
                        "FailedMount",
                        "MountVolume.SetUp failed for volume \"creds\" : secret \"gcs-key\" not found",
                        1)));
        assertThat(mount.heals()).isFalse();
        assertThat(mount.reason()).startsWith("FailedMount: ");
        PendingReasons.Pending pull = PendingReasons.explain(
                "ContainerCreating on node n1",
                waiting("ContainerCreating", null),
                List.of(event("Failed", "Failed to pull image \"a/b:c\": 403 Forbidden", 1)));
        assertThat(pull.heals()).isFalse();
        assertThat(pull.reason()).startsWith("ErrImagePull: Failed to pull image \"a/b:c\"");
        assertThat(PendingReasons.explain("ContainerCreating on node n1", waiting("ContainerCreating", null), List.of())
                        .heals())
                .isTrue();
    }

    private static Pod unschedulable(String message) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage(message)
                .endCondition()
                .endStatus()
                .build();
    }

    private static Pod waiting(String reason, String message) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .addNewContainerStatus()
                .withName(Labels.CONTAINER)
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }

    private static Event event(String reason, String message, int second) {
        return new EventBuilder()
                .withReason(reason)
                .withMessage(message)
                .withLastTimestamp("2026-11-28T15:30:0" + second + "Z")
                .build();
    }
}
