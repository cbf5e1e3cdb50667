package dev.kinetic.backend.kubernetes;

import static dev.kinetic.backend.kubernetes.KubernetesFixture.NAMESPACE;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitInfo;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.BatchOptions;
import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.backend.kubernetes.testnode.KubernetesSchema;
import dev.kinetic.backend.kubernetes.testnode.TestNode;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.Json;
import dev.kinetic.testing.Jobs;
import dev.kinetic.testing.TestKinetic;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Batches on the Kubernetes backend against the mock API server, with {@link TestNode} running each worker pod as a
 * local process: one work-queue Job per batch with {@code parallelism = maxConcurrent}, a worker pod killed mid-input,
 * and cancel deleting the worker Job.
 */
class KubernetesBatchTest extends TestNodeCluster {
    private static final Duration MAX = Duration.ofSeconds(120);

    @Test
    void aBatchRunsOnOneWorkQueueJobWithParallelismMaxConcurrent() throws Exception {
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            BatchHandle<Integer> batch = s.remote((Integer i) -> Jobs.sleepThen(100, i * 3))
                    .runAsyncMap(
                            IntStream.range(0, 6).boxed().toList(),
                            BatchOptions.builder().maxConcurrent(2).build());

            List<Job> jobs = batchJobs(batch.id());
            assertThat(jobs).as("one worker Job for the batch").hasSize(1);
            Job workers = jobs.get(0);
            assertThat(workers.getMetadata().getName()).isEqualTo(batch.id() + "-workers-0");
            assertThat(workers.getSpec().getParallelism()).isEqualTo(2);
            assertThat(workers.getSpec().getCompletions())
                    .as("work-queue: no completions")
                    .isNull();
            assertThat(workers.getSpec().getBackoffLimit()).isEqualTo(2);
            assertThat(workers.getSpec().getPodFailurePolicy().getRules())
                    .extracting(r -> r.getAction())
                    .containsExactly("Ignore", "FailJob");
            List<EnvVar> env = workers.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv();
            assertThat(env)
                    .anySatisfy(e -> {
                        assertThat(e.getName()).isEqualTo("KINETIC_WORKER_ID");
                        assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                                .isEqualTo("metadata.name");
                    })
                    .noneSatisfy(e -> assertThat(e.getName()).isEqualTo("KINETIC_JOB_ID"));
            assertThat(workers.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getCommand())
                    .contains("dev.kinetic.internal.batch.worker.BatchWorker");

            assertThat(batch.results(MAX)).containsExactly(0, 3, 6, 9, 12, 15);
            for (var child : batch.jobs()) {
                assertThat(cluster.client()
                                .batch()
                                .v1()
                                .jobs()
                                .inNamespace(NAMESPACE)
                                .withName(child.orElseThrow().id())
                                .get())
                        .as("no Job per input")
                        .isNull();
            }
            JobHandle<Integer> third = batch.jobs().get(2).orElseThrow();
            assertThat(third.describe().status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(third.logs()).as("each input's own log, from the store").contains("sleeping 100 ms");
            awaitTrue(
                    () -> isComplete(batch.id() + "-workers-0"),
                    MAX,
                    "the worker Job to complete once no input is left");
            BatchCounts counts = batch.statusCounts();
            assertThat(counts.finished()).isEqualTo(6);
            assertThat(counts.workersAlive()).isZero();
        }
    }

    /**
     * The batch's captured values reach every worker pod as a single job's reach its agent: through a Secret {@code
     * kinetic-<worker Job>} owned by the worker Job and read by {@code secretKeyRef}, never a literal value in the Job,
     * never in the store; the batch's cleanup deletes it.
     */
    @Test
    void theWorkersReadTheCapturedValuesFromASecretOwnedByTheWorkerJob() throws Exception {
        String secret = "sk-batch-planted-" + Long.toHexString(System.nanoTime());
        TestKinetic kinetic = KubernetesFixture.kinetic(tmp, cluster);
        kinetic.environment().put("PROBE_SECRET_TOKEN", secret);
        try (KineticSession s = kinetic.session()) {
            BatchHandle<String> batch = s.remote((Integer i) -> KubernetesCapturedSecretsTest.seen())
                    .captureEnv("PROBE_SECRET_*")
                    .runAsyncMap(
                            List.of(0, 1, 2),
                            BatchOptions.builder().maxConcurrent(2).build());
            String name = batch.id() + "-workers-0";
            Job workers = cluster.client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(NAMESPACE)
                    .withName(name)
                    .get();
            Secret held = cluster.client()
                    .secrets()
                    .inNamespace(NAMESPACE)
                    .withName("kinetic-" + name)
                    .get();
            assertThat(held).as("the workers' Secret").isNotNull();
            assertThat(held.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getKind()).isEqualTo("Job");
                assertThat(o.getName()).isEqualTo(name);
                assertThat(o.getUid()).isEqualTo(workers.getMetadata().getUid());
            });
            EnvVar probe = workers.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getName().equals("PROBE_SECRET_TOKEN"))
                    .findFirst()
                    .orElseThrow();
            assertThat(probe.getValue())
                    .as("no literal value in the worker Job")
                    .isNull();
            assertThat(probe.getValueFrom().getSecretKeyRef().getName()).isEqualTo("kinetic-" + name);
            assertThat(probe.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("PROBE_SECRET_TOKEN");
            assertThat(Serialization.asJson(workers)).doesNotContain(secret);
            assertThat(KubernetesSchema.problems(Serialization.asJson(
                            new JobBuilder(workers).withStatus(null).build())))
                    .as("the worker Job, by Kubernetes' schema")
                    .isEmpty();

            assertThat(batch.results(MAX))
                    .as("every input's task saw the value")
                    .containsOnly(Hashing.sha256(secret.getBytes(StandardCharsets.UTF_8)));
            assertThat(KubernetesCapturedSecretsTest.CapturedSecretsFiles.holding(kinetic.home(), secret))
                    .as("files of the store")
                    .isEmpty();
            batch.cleanup(Cleanup.ALL);
            assertThat(cluster.client()
                            .secrets()
                            .inNamespace(NAMESPACE)
                            .withName("kinetic-" + name)
                            .get())
                    .as("the batch's cleanup deleted the Secret")
                    .isNull();
        }
    }

    @Test
    void aWorkerPodKilledMidInputIsReplacedAndTheInputCompletesOnAnotherWorker() throws Exception {
        String slow = tmp.resolve("slow-once").toString();
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            BatchHandle<Integer> batch = s.remote(
                            (Integer i) -> Jobs.sleepThen(i == 0 && Jobs.firstTime(slow) ? 30_000 : 300, i))
                    .runAsyncMap(
                            List.of(0, 1, 2, 3),
                            BatchOptions.builder().maxConcurrent(2).retries(1).build());
            JobHandle<Integer> first = awaitJob(batch, 0);
            awaitInfo(first, i -> i.status() == JobStatus.RUNNING, MAX);
            String pod = workerPod(first.id());
            node.kill(NAMESPACE, pod); // SIGKILL of the whole container, mid-input

            assertThat(batch.results(MAX)).containsExactly(0, 1, 2, 3);

            JobInfo lost = first.describe();
            assertThat(lost.status()).isEqualTo(JobStatus.FAILED);
            assertThat(lost.reason()).contains("worker " + pod).contains("lease ran out");
            assertThat(batch.jobs().get(0).orElseThrow().id()).isNotEqualTo(first.id());
            assertThat(node.podNames(NAMESPACE, batch.id() + "-workers-0"))
                    .as("the Job controller replaced the killed pod")
                    .hasSizeGreaterThanOrEqualTo(3)
                    .contains(pod);
            BatchCounts counts = batch.statusCounts();
            assertThat(counts.count(JobStatus.SUCCEEDED)).isEqualTo(4);
            assertThat(counts.finished()).isEqualTo(4);
            assertThat(counts.queued()).isZero();
        }
    }

    @Test
    void cancelDeletesTheWorkerJob() throws Exception {
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            BatchHandle<Integer> batch = s.remote((Integer i) -> Jobs.sleepThen(120_000, i))
                    .runAsyncMap(
                            IntStream.range(0, 5).boxed().toList(),
                            BatchOptions.builder().maxConcurrent(2).build());
            JobHandle<Integer> first = awaitJob(batch, 0);
            awaitInfo(first, i -> i.status() == JobStatus.RUNNING, MAX);

            batch.cancel();

            assertThat(cluster.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .withName(batch.id() + "-workers-0")
                            .get())
                    .as("cancel confirmed the worker Job is gone")
                    .isNull();
            assertThat(node.isRunning(NAMESPACE, batch.id() + "-workers-0")).isFalse();
            BatchCounts counts = batch.statusCounts();
            assertThat(counts.count(JobStatus.CANCELLED)).isBetween(1, 2);
            assertThat(counts.queued()).isZero();
            assertThat(counts.running()).isZero();
            assertThat(first.describe().status()).isEqualTo(JobStatus.CANCELLED);
        }
    }

    private static JobHandle<Integer> awaitJob(BatchHandle<Integer> batch, int index) throws InterruptedException {
        awaitTrue(() -> batch.jobs().get(index).isPresent(), MAX, "input " + index + " to be taken");
        return batch.jobs().get(index).orElseThrow();
    }

    /** The worker pod that runs a job, from its record. */
    private String workerPod(String jobId) throws Exception {
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        Map<?, ?> record = Json.MAPPER.readValue(
                Files.readAllBytes(k.storeDir().resolve("jobs/" + jobId + "/job.json")), Map.class);
        return (String) ((Map<?, ?>) record.get("backendRef")).get("workerPod");
    }

    private static List<Job> batchJobs(String batchId) {
        return cluster.client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(NAMESPACE)
                .withLabel("kinetic.dev/batch-id", batchId)
                .list()
                .getItems();
    }

    private static boolean isComplete(String name) {
        Job job = cluster.client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(NAMESPACE)
                .withName(name)
                .get();
        return job == null
                || (job.getStatus() != null
                        && job.getStatus().getConditions() != null
                        && job.getStatus().getConditions().stream()
                                .anyMatch(c -> c.getType().equals("Complete")));
    }
}
