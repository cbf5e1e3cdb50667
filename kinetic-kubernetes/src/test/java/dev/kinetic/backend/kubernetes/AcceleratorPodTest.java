package dev.kinetic.backend.kubernetes;

import static dev.kinetic.backend.kubernetes.KubernetesFixture.NAMESPACE;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitInfo;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pods that can use what they asked for (issue 14), run by the test node: a GPU job's environment reaches the task,
 * its pod asks for CPU and memory sized from the machine, and a SIGTERM within the default grace period leaves the
 * outcome and the outputs recorded.
 */
class AcceleratorPodTest extends TestNodeCluster {
    private static final Duration MAX = Duration.ofSeconds(90);

    @Test
    void aGpuPodFindsTheDriverAndAsksForMostOfItsNode() throws Exception {
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<String> job = s.remote(() -> System.getenv("PATH") + "|" + System.getenv("LD_LIBRARY_PATH"))
                    .accelerator("l4")
                    .runAsync();
            String seen = job.result(MAX, Cleanup.NONE);
            String[] parts = seen.split("\\|", -1);
            assertThat(parts[0]).as("the task's PATH").startsWith("/usr/local/nvidia/bin:");
            assertThat(parts[1]).as("the task's LD_LIBRARY_PATH").startsWith("/usr/local/nvidia/lib64");

            Container agent = jobSpec(job.id())
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0);
            Map<String, String> env = agent.getEnv().stream()
                    .filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
            assertThat(env)
                    .containsEntry("LD_LIBRARY_PATH", "/usr/local/nvidia/lib64:/usr/local/nvidia/lib")
                    .containsEntry("KINETIC_TASK_PATH_PREFIX", "/usr/local/nvidia/bin")
                    .doesNotContainKey("PATH");
            Map<String, Quantity> requests = agent.getResources().getRequests();
            // g2-standard-4: 4 vCPU, 16 GiB; GKE keeps 80m and 2762 MiB, system pods about 500m and 1 GiB.
            assertThat(requests)
                    .containsEntry("cpu", new Quantity("3400m"))
                    .containsEntry("memory", new Quantity("12544Mi"));
            assertThat(agent.getResources().getLimits())
                    .containsEntry("nvidia.com/gpu", new Quantity("1"))
                    .containsEntry("memory", new Quantity("12544Mi"));
            job.cleanup(Cleanup.ALL);
        }
    }

    @Test
    void aSigtermWithinTheDefaultGracePeriodKeepsTheOutcomeAndTheOutputs() throws Exception {
        String started = tmp.resolve("started").toString();
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<Integer> job = s.remote(() -> {
                        Path out = Path.of(System.getenv("KINETIC_OUTPUT_DIR"));
                        Files.writeString(out.resolve("checkpoint-1.txt"), "epoch 1");
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                            try {
                                // A training loop's last checkpoint, written on the SIGTERM.
                                Files.writeString(out.resolve("checkpoint-final.txt"), "epoch 2 of 10");
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }));
                        Files.createFile(Path.of(started));
                        Thread.sleep(600_000);
                        return 1;
                    })
                    .runAsync();
            awaitTrue(() -> Files.exists(Path.of(started)), MAX, "the task to start");
            Job spec = jobSpec(job.id());
            assertThat(spec.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                    .as("the default grace period")
                    .isEqualTo(60L);

            Optional<Duration> exited = node.disrupt(NAMESPACE, job.id()); // a spot reclaim: SIGTERM, SIGKILL at 60 s
            assertThat(exited).as("the agent was done before the SIGKILL").isPresent();
            assertThat(exited.get()).isLessThan(Duration.ofSeconds(60));

            JobInfo info = awaitInfo(job, i -> i.status().isTerminal(), MAX);
            assertThat(info.status()).isEqualTo(JobStatus.FAILED);
            assertThat(info.reason()).startsWith("agent terminated (SIGTERM); task killed by signal 15");
            assertThat(job.outputs())
                    .extracting(JobHandle.OutputFile::path)
                    .containsExactlyInAnyOrder("checkpoint-1.txt", "checkpoint-final.txt");
            job.cleanup(Cleanup.ALL);
        }
    }

    private static Job jobSpec(String id) {
        return cluster.client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(NAMESPACE)
                .withName(id)
                .get();
    }
}
