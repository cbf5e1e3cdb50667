package dev.kinetic.backend.kubernetes;

import static dev.kinetic.backend.kubernetes.KubernetesFixture.NAMESPACE;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitInfo;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.JobHandle;
import dev.kinetic.JobHandle.OutputFile;
import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.backend.kubernetes.testnode.TestNode;
import dev.kinetic.testing.LimitJobs;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code timeout(Duration)} on Kubernetes (issue 19), through the test node: the agent in the pod stops the task at the
 * limit and records "timed out after PT…"; the Job carries the limit as {@code activeDeadlineSeconds}.
 */
class KubernetesTimeLimitTest {
    private static final Duration MAX = Duration.ofSeconds(90);

    @TempDir
    static Path shared;

    static MockCluster cluster;
    static TestNode node;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = MockCluster.start(shared);
        node = TestNode.start(cluster, shared.resolve("node"), KubernetesSettings.DEFAULT_AGENT_CLASSPATH);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        node.close();
        cluster.close();
    }

    @Test
    void aJobPastItsLimitFailsTimedOutWithNoProcessLeftAndItsCheckpointKept() throws Exception {
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<Integer> job = s.remote(() -> LimitJobs.checkpointThenSleep(60))
                    .timeout(Duration.ofSeconds(3))
                    .runAsync();
            Job k8s = cluster.client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(NAMESPACE)
                    .withName(job.id())
                    .get();
            assertThat(k8s.getSpec().getActiveDeadlineSeconds())
                    .as("the limit plus the per-attempt allowance to start")
                    .isEqualTo(3 + ActiveDeadline.STARTUP_ALLOWANCE.toSeconds());
            assertThat(k8s.getMetadata().getAnnotations()).containsEntry("kinetic.dev/timeout", "PT3S");

            awaitTrue(
                    () -> job.tail(10).stream().anyMatch(l -> l.startsWith("agent-pid")),
                    MAX,
                    "the task's pids in its log");
            List<String> lines = job.tail(10);
            long task = pid(lines, "task-pid");
            long child = pid(lines, "child-pid");
            long agent = pid(lines, "agent-pid");

            JobInfo info = awaitInfo(job, i -> i.status().isTerminal(), MAX);
            Instant seen = Instant.now();
            assertThat(info.status()).isEqualTo(JobStatus.FAILED);
            assertThat(info.reason()).startsWith("timed out after PT3S");
            assertThat(Duration.between(info.startedAt(), info.endedAt()))
                    .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(8));
            assertThat(Duration.between(info.startedAt(), seen))
                    .as("FAILED within 5 s of the limit")
                    .isLessThan(Duration.ofSeconds(8));

            awaitTrue(() -> !ProcessHandle.of(agent).map(ProcessHandle::isAlive).orElse(false), MAX, "agent exit");
            assertThat(ProcessHandle.of(task).filter(ProcessHandle::isAlive))
                    .as("the task")
                    .isEmpty();
            assertThat(ProcessHandle.of(child).filter(ProcessHandle::isAlive))
                    .as("the task's child")
                    .isEmpty();
            assertThat(node.isRunning(NAMESPACE, job.id())).isFalse();
            assertThat(job.outputs()).extracting(OutputFile::path).contains("checkpoint-1.txt");
        }
    }

    private static long pid(List<String> lines, String name) {
        String line = lines.stream()
                .filter(l -> l.startsWith(name + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + lines));
        return Long.parseLong(line.substring(name.length() + 1).trim());
    }
}
