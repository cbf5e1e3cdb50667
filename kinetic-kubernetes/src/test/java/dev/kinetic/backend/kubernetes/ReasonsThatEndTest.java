package dev.kinetic.backend.kubernetes;

import static dev.kinetic.backend.kubernetes.KubernetesFixture.NAMESPACE;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitInfo;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.Cleanup;
import dev.kinetic.JobFailedException;
import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.JobTimeoutException;
import dev.kinetic.KineticSession;
import dev.kinetic.backend.kubernetes.testnode.TestNode;
import dev.kinetic.testing.TestKinetic;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Reasons that always end (issue 14), against the mock API server and the test node: the agent's last words in the
 * container's termination message, Events feeding PENDING reasons, {@code pending-timeout} ending what waiting
 * cannot heal (and never a scale-up), and a timed-out wait that says why the job never started.
 */
class ReasonsThatEndTest extends TestNodeCluster {
    private static final Duration MAX = Duration.ofSeconds(60);

    @Test
    void anAgentThatCannotWriteItsResultFailsWithItsTerminationMessage() throws Exception {
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        // The agent gives up on the store after 1 s instead of a minute (the test's outage never ends).
        k.environment().put("KINETIC_POD_ENV", "KINETIC_STORE_PATIENCE=1");
        String jobs = k.storeDir().resolve("jobs").toString();
        try (KineticSession s = k.session()) {
            JobHandle<Integer> job = s.remote(() -> {
                        // Where the agent would put the result and the outcome, the "store" refuses: a directory
                        // stands at each key, so every write of them fails, as a bucket answering 403 would.
                        Path dir = Path.of(jobs, System.getenv("KINETIC_JOB_ID"));
                        Files.createDirectories(dir.resolve("result.bin").resolve("taken"));
                        Files.createDirectories(dir.resolve("result.json").resolve("taken"));
                        return 42;
                    })
                    .runAsync();

            JobInfo info = awaitInfo(job, i -> i.status().isTerminal(), MAX);
            assertThat(info.status()).isEqualTo(JobStatus.FAILED);
            assertThat(info.reason())
                    .as("the agent's last words, from the pod's termination message")
                    .startsWith("cannot write " + k.storeDir().toUri())
                    .contains("jobs/" + job.id() + "/result.json");

            Pod pod = cluster.client()
                    .pods()
                    .inNamespace(NAMESPACE)
                    .withLabel(Labels.JOB_ID, job.id())
                    .list()
                    .getItems()
                    .get(0);
            ContainerStateTerminated terminated =
                    pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
            assertThat(terminated.getMessage()).startsWith("cannot write ");
            assertThat(pod.getSpec().getContainers().get(0).getTerminationMessagePolicy())
                    .isEqualTo("FallbackToLogsOnError");

            // The pod log goes (as it does 600 s after the end); the reason stays while the Job exists.
            cluster.logs().discard(NAMESPACE, pod.getMetadata().getName());
            assertThat(job.describe().reason()).startsWith(terminated.getMessage());
            assertThat(k.storeDir().resolve("jobs").resolve(job.id()).resolve("result.json"))
                    .as("the store kept nothing of the outcome")
                    .isDirectory();
            job.cleanup(Cleanup.ALL);
        }
    }

    @Test
    void anImageThatCannotBePulledEndsAfterThePendingTimeout() throws Exception {
        node.behaviour(job -> TestNode.Behaviour.of(TestNode.Mode.IMAGE_PULL_ERROR));
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        k.environment().put("KINETIC_PENDING_TIMEOUT", "2");
        try (KineticSession s = k.session()) {
            JobHandle<Integer> job = s.remote(() -> 1).runAsync();
            JobInfo pending = awaitInfo(
                    job,
                    i -> i.status().isTerminal()
                            || (i.reason() != null && i.reason().contains("pull")),
                    MAX);
            if (pending.status() == JobStatus.PENDING) { // a busy machine may look only after the timeout
                assertThat(pending.reason()).containsPattern("ErrImagePull|ImagePullBackOff");
            }

            JobInfo ended = awaitInfo(job, i -> i.status().isTerminal(), MAX);
            assertThat(ended.status()).isEqualTo(JobStatus.FAILED);
            assertThat(ended.reason())
                    .contains("pending for more than 2 s (pending-timeout)")
                    .containsPattern("ErrImagePull|ImagePullBackOff")
                    .contains(KubernetesFixture.IMAGE)
                    .contains("Kinetic deleted the Job");
            awaitTrue(() -> jobGone(job.id()), MAX, "the Job deleted");

            // The reason outlives the Job: it is the job's recorded outcome, read by any later session.
            try (KineticSession later = k.session()) {
                JobInfo again = later.attach(job.id()).describe();
                assertThat(again.status()).isEqualTo(JobStatus.FAILED);
                assertThat(again.reason()).isEqualTo(ended.reason());
                assertThatThrownBy(() -> later.attach(job.id()).result(Duration.ofSeconds(5)))
                        .isInstanceOf(JobFailedException.class)
                        .hasMessageContaining("pending-timeout")
                        .satisfies(e ->
                                assertThat(((JobFailedException) e).phase()).isEqualTo("backend"));
            }
            job.cleanup(Cleanup.ALL);
        }
    }

    @Test
    void aPodTheClusterRefusesToCreateEndsAfterThePendingTimeout() throws Exception {
        node.behaviour(job -> TestNode.Behaviour.of(TestNode.Mode.FAILED_CREATE));
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        k.environment().put("KINETIC_PENDING_TIMEOUT", "2");
        k.environment().put("KINETIC_SERVICE_ACCOUNT", "kinetic");
        try (KineticSession s = k.session()) {
            JobHandle<Integer> job = s.remote(() -> 1).runAsync();
            JobInfo pending = awaitInfo(
                    job,
                    i -> i.status().isTerminal()
                            || (i.reason() != null && i.reason().startsWith("FailedCreate")),
                    MAX);
            if (pending.status() == JobStatus.PENDING) { // a busy machine may look only after the timeout
                assertThat(pending.reason()).contains("serviceaccount \"kinetic\" not found");
            }

            JobInfo ended = awaitInfo(job, i -> i.status().isTerminal(), MAX);
            assertThat(ended.status()).isEqualTo(JobStatus.FAILED);
            assertThat(ended.reason())
                    .startsWith("pending for more than 2 s (pending-timeout): FailedCreate: ")
                    .contains("serviceaccount \"kinetic\" not found");
            awaitTrue(() -> jobGone(job.id()), MAX, "the Job deleted");
            job.cleanup(Cleanup.ALL);
        }
    }

    @Test
    void aScaleUpInProgressNeverEndsAJob() throws Exception {
        node.behaviour(job -> TestNode.Behaviour.of(TestNode.Mode.SCALE_UP));
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        k.environment().put("KINETIC_PENDING_TIMEOUT", "1");
        try (KineticSession s = k.session()) {
            List<JobInfo> seen = new CopyOnWriteArrayList<>();
            s.onStatusChange(seen::add);
            JobHandle<Integer> job = s.remote(() -> 1).accelerator("l4").runAsync();
            awaitInfo(job, i -> i.reason() != null && i.reason().contains("triggered scale-up"), MAX);

            // Three times the pending timeout, still PENDING; the wait ends with the status and the reason.
            JobTimeoutException timeout = (JobTimeoutException)
                    org.assertj.core.api.Assertions.catchThrowable(() -> job.result(Duration.ofSeconds(3)));
            assertThat(timeout).isNotNull();
            assertThat(timeout.status()).isEqualTo(JobStatus.PENDING);
            assertThat(timeout.reason())
                    .startsWith("Unschedulable: 0/1 nodes are available")
                    .contains("the cluster autoscaler is adding a node")
                    .contains("pod triggered scale-up");
            assertThat(timeout.getMessage()).contains("PENDING: Unschedulable").contains("keeps running");
            assertThat(job.status()).isEqualTo(JobStatus.PENDING);
            assertThat(jobGone(job.id())).as("the Job stays").isFalse();
            assertThat(seen)
                    .as("the listener heard the PENDING reason")
                    .anySatisfy(i -> assertThat(i.reason()).contains("triggered scale-up"));
            job.cleanup(Cleanup.ALL);
        }
    }

    private static boolean jobGone(String id) {
        return cluster.client()
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(NAMESPACE)
                        .withName(id)
                        .get()
                == null;
    }
}
