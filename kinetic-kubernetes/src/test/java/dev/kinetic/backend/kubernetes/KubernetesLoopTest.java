package dev.kinetic.backend.kubernetes;

import static dev.kinetic.backend.kubernetes.KubernetesFixture.NAMESPACE;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitInfo;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.Cleanup;
import dev.kinetic.JobCancelledException;
import dev.kinetic.JobFailedException;
import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.backend.kubernetes.testnode.TestNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop through the public API against the mock API server, with {@link TestNode} running the real
 * agent as a local process for each pod: submit, status with reasons, logs, result, cancel, cleanup, list.
 */
class KubernetesLoopTest {
    private static final Duration MAX = Duration.ofSeconds(60);

    @TempDir
    static Path shared;

    static MockCluster cluster;
    static TestNode node;
    static byte[] kubeconfigBefore;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = MockCluster.start(shared);
        node = TestNode.start(cluster, shared.resolve("node"), KubernetesSettings.DEFAULT_AGENT_CLASSPATH);
        kubeconfigBefore = Files.readAllBytes(cluster.kubeconfig());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        node.close();
        cluster.close();
        assertThat(Files.readAllBytes(cluster.kubeconfig()))
                .as("the kubeconfig is only read, never rewritten")
                .isEqualTo(kubeconfigBefore);
    }

    @BeforeEach
    void normalNode() {
        node.clearErrors();
        node.behaviour(job -> TestNode.Behaviour.run());
    }

    @AfterEach
    void nodeHadNoTrouble() {
        assertThat(node.errors()).isEmpty();
    }

    @Test
    void submitRunLogsSucceedResultCleanup() throws Exception {
        String gate = tmp.resolve("gate").toString();
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<Integer> job = s.remote(() -> {
                        System.out.println("first line");
                        while (!Files.exists(Path.of(gate))) {
                            Thread.sleep(20);
                        }
                        for (int i = 0; i < 40; i++) {
                            System.out.println("line " + i);
                            Thread.sleep(5);
                        }
                        return 42;
                    })
                    .runAsync();

            assertThat(job.status()).isEqualTo(JobStatus.PENDING);
            Job k8sJob = cluster.client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(NAMESPACE)
                    .withName(job.id())
                    .get();
            assertThat(k8sJob).as("the Job is named by the job id").isNotNull();
            assertThat(k8sJob.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/managed-by", "kinetic")
                    .containsEntry("kinetic.dev/job-id", job.id());

            awaitInfo(job, i -> i.status() == JobStatus.RUNNING, MAX);
            awaitTrue(() -> job.tail(5).contains("first line"), MAX, "the first line in the pod log");

            List<String> followed = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> follow = CompletableFuture.runAsync(() -> job.followLogs(followed::add));
            int followsBefore = cluster.logs().followRequests();
            Files.createFile(Path.of(gate));

            Integer value = job.result(MAX, Cleanup.NONE);
            assertThat(value).isEqualTo(42);
            assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
            follow.get(MAX.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

            List<String> expected = new ArrayList<>(List.of("first line"));
            for (int i = 0; i < 40; i++) {
                expected.add("line " + i);
            }
            assertThat(followed)
                    .as("every line once, in order, across reconnects")
                    .containsSubsequence(expected)
                    .doesNotHaveDuplicates();
            assertThat(new HashSet<>(followed)).containsAll(expected);
            assertThat(cluster.logs().followRequests() - followsBefore)
                    .as("the stream dropped and was reopened")
                    .isGreaterThan(1);
            assertThat(job.tail(3)).containsExactly("line 37", "line 38", "line 39");

            job.cleanup(Cleanup.ALL);
            assertThat(cluster.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .withName(job.id())
                            .get())
                    .isNull();
            assertThat(cluster.client()
                            .pods()
                            .inNamespace(NAMESPACE)
                            .withLabel("kinetic.dev/job-id", job.id())
                            .list()
                            .getItems())
                    .isEmpty();
            assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
        }
    }

    @Test
    void resultCleansUpOnSuccess() throws Exception {
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<String> job = s.remote(() -> "done").runAsync();
            assertThat(job.result(MAX)).isEqualTo("done");
            assertThat(cluster.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .withName(job.id())
                            .get())
                    .as("success deletes the Job")
                    .isNull();
            assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
        }
    }

    @Test
    void failingTaskKeepsJobAndArtifacts() throws Exception {
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<Integer> job = s.remote((dev.kinetic.RemoteCallable<Integer>) () -> {
                        System.out.println("about to fail");
                        throw new IllegalStateException("bad input 17");
                    })
                    .runAsync();
            assertThatThrownBy(() -> job.result(MAX))
                    .as("log: %s", job.logs())
                    .isInstanceOf(JobFailedException.class)
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .rootCause()
                    .hasMessage("bad input 17");
            JobInfo info = job.describe();
            assertThat(info.status()).isEqualTo(JobStatus.FAILED);
            assertThat(cluster.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .withName(job.id())
                            .get())
                    .as("a failed job keeps its Job for debugging")
                    .isNotNull();
            assertThat(job.logs()).contains("about to fail");
            job.cleanup(Cleanup.ALL);
        }
    }

    @Test
    void outOfMemoryKillIsFailedWithReason() throws Exception {
        node.behaviour(job -> TestNode.Behaviour.oomKillOn("allocating"));
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<Integer> job = s.remote(() -> {
                        System.out.println("allocating");
                        Thread.sleep(60_000);
                        return 1;
                    })
                    .runAsync();
            JobInfo info = awaitInfo(job, i -> i.status().isTerminal(), MAX);
            assertThat(info.status()).isEqualTo(JobStatus.FAILED);
            assertThat(info.reason()).contains("OOMKilled").contains("2Gi");
            assertThat(info.exitCode()).isEqualTo(137);
            assertThatThrownBy(() -> job.result(Duration.ofSeconds(5)))
                    .isInstanceOf(JobFailedException.class)
                    .hasMessageContaining("OOMKilled");
            job.cleanup(Cleanup.ALL);
        }
    }

    @Test
    void unschedulablePodIsPendingWithTheSchedulersMessage() throws Exception {
        node.behaviour(job -> TestNode.Behaviour.of(TestNode.Mode.UNSCHEDULABLE));
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<Integer> job = s.remote(() -> 1).accelerator("l4").runAsync();
            JobInfo info = awaitInfo(job, i -> i.reason() != null && i.reason().startsWith("Unschedulable"), MAX);
            assertThat(info.status()).isEqualTo(JobStatus.PENDING);
            assertThat(info.reason()).contains("0/1 nodes are available: 1 Insufficient nvidia.com/gpu");

            assertThat(job.cancel()).isTrue();
            assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(cluster.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .withName(job.id())
                            .get())
                    .isNull();
            assertThatThrownBy(() -> job.result(Duration.ofSeconds(5))).isInstanceOf(JobCancelledException.class);
        }
    }

    @Test
    void imagePullErrorIsPendingWithTheImage() throws Exception {
        node.behaviour(job -> TestNode.Behaviour.of(TestNode.Mode.IMAGE_PULL_ERROR));
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<Integer> job = s.remote(() -> 1).runAsync();
            JobInfo info = awaitInfo(job, i -> i.reason() != null && i.reason().startsWith("ImagePullBackOff"), MAX);
            assertThat(info.status()).isEqualTo(JobStatus.PENDING);
            assertThat(info.reason()).contains(KubernetesFixture.IMAGE).contains("KINETIC_IMAGE");
            job.cleanup(Cleanup.ALL);
            assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
        }
    }

    @Test
    void cancelStopsARunningJob() throws Exception {
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<Integer> job = s.remote(() -> {
                        System.out.println("working");
                        Thread.sleep(120_000);
                        return 1;
                    })
                    .runAsync();
            awaitInfo(job, i -> i.status() == JobStatus.RUNNING, MAX);
            awaitTrue(() -> job.tail(1).contains("working"), MAX, "the task to print");
            assertThat(job.cancel()).isTrue();
            assertThat(cluster.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .withName(job.id())
                            .get())
                    .as("cancel confirmed the Job is gone")
                    .isNull();
            assertThat(node.isRunning(NAMESPACE, job.id())).isFalse();
            assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
            assertThatThrownBy(() -> job.result(MAX)).isInstanceOf(JobCancelledException.class);
            assertThat(job.logs())
                    .as("logs of the deleted pod come from the store; described as %s", job.describe())
                    .contains("working");
            assertThat(job.cancel()).as("a second cancel changes nothing").isFalse();
        }
    }

    @Test
    void jobDeletedByTtlStillHasResultAndLogs() throws Exception {
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<Integer> job = s.remote(() -> {
                        System.out.println("ttl line 1");
                        System.out.println("ttl line 2");
                        return 7;
                    })
                    .with(b -> b.backendSetting(KubernetesSettings.TTL_AFTER_FINISHED, "1"))
                    .runAsync();
            awaitTrue(
                    () -> cluster.client()
                                    .batch()
                                    .v1()
                                    .jobs()
                                    .inNamespace(NAMESPACE)
                                    .withName(job.id())
                                    .get()
                            == null,
                    MAX,
                    "the TTL controller to delete Job " + job.id());
            assertThat(job.status())
                    .as("the result in the store wins once the Job is gone")
                    .isEqualTo(JobStatus.SUCCEEDED);
            assertThat(job.tail(2)).containsExactly("ttl line 1", "ttl line 2");
            List<String> followed = new ArrayList<>();
            job.followLogs(followed::add);
            assertThat(followed).containsExactly("ttl line 1", "ttl line 2");
            assertThat(s.listJobs())
                    .extracting(JobInfo::id, JobInfo::status)
                    .contains(org.assertj.core.groups.Tuple.tuple(job.id(), JobStatus.SUCCEEDED));
            assertThat(job.result(MAX)).isEqualTo(7);
        }
    }

    @Test
    void listMergesStoreRecordsWithOneListCallPerResource() throws Exception {
        node.behaviour(job -> TestNode.Behaviour.of(TestNode.Mode.UNSCHEDULABLE));
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            List<JobHandle<Integer>> jobs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                jobs.add(s.remote(() -> 1).runAsync());
            }
            for (JobHandle<Integer> j : jobs) {
                awaitInfo(j, i -> i.reason() != null && i.reason().startsWith("Unschedulable"), MAX);
            }
            cluster.client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(NAMESPACE)
                    .withName(jobs.get(0).id())
                    .delete();
            awaitTrue(
                    () -> cluster.client()
                            .pods()
                            .inNamespace(NAMESPACE)
                            .withLabel("kinetic.dev/job-id", jobs.get(0).id())
                            .list()
                            .getItems()
                            .isEmpty(),
                    MAX,
                    "the deleted Job's pod to go");

            int before = cluster.server().getRequestCount();
            List<JobInfo> listed = s.listJobs();
            int calls = cluster.server().getRequestCount() - before;
            assertThat(calls)
                    .as("one list of Jobs, one of pods and (some are PENDING) one of Events, whatever the number of "
                            + "jobs")
                    .isEqualTo(3);
            assertThat(listed)
                    .extracting(JobInfo::id)
                    .containsExactlyInAnyOrder(jobs.stream().map(JobHandle::id).toArray(String[]::new));
            assertThat(listed)
                    .filteredOn(i -> i.id().equals(jobs.get(0).id()))
                    .singleElement()
                    .extracting(JobInfo::status)
                    .isEqualTo(JobStatus.FAILED);
            assertThat(listed)
                    .filteredOn(i -> !i.id().equals(jobs.get(0).id()))
                    .extracting(JobInfo::status)
                    .containsOnly(JobStatus.PENDING);
            for (JobHandle<Integer> j : jobs) {
                j.cleanup(Cleanup.ALL);
            }
        }
    }
}
