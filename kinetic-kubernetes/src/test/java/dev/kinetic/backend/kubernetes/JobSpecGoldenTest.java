package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.WorkerPool;
import dev.kinetic.spi.accelerator.AcceleratorCatalog;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Job spec for a GPU, a TPU, spot capacity and a CPU job with retries, compared with reviewed YAML files in
 * {@code src/test/resources/golden/}. After an intended change, regenerate them with
 * {@code -Dkinetic.golden.update=true} and review the diff.
 */
class JobSpecGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "gpu-a100x4,   a100x4,          0, s3://acme-ml/kinetic",
        "tpu-v5e-4,    v5litepod-4,     0, gs://acme-ml/kinetic",
        "spot-l4,      l4:spot,         0, gs://acme-ml/kinetic",
        "cpu-retries,  cpu,             2, file:/mnt/shared/kinetic-store"
    })
    void jobSpec(String name, String accelerator, int retries, String store) throws Exception {
        KubernetesSettings settings = KubernetesSettings.from(
                Map.of(
                        "namespace",
                        "ml-jobs",
                        "image",
                        "us-docker.pkg.dev/acme/kinetic/runtime:0.1.0",
                        "service-account",
                        "kinetic-runner",
                        "shared-store-path",
                        "/mnt/shared"),
                Map.of());
        JobId id = JobId.of("job-" + name + "-20261128-153012-abc1234");
        JobRecord record = JobRecord.builder()
                .id(id)
                .function("train", "com.acme.Train")
                .accelerator(accelerator)
                .backend("kubernetes")
                .store(store)
                .createdAt(Instant.parse("2026-11-28T15:30:12Z"))
                .submittedBy("ana@laptop")
                .payload(new JobRecord.Artifact("aa".repeat(32), 1234, "payload.bin"))
                .classpath(List.of(new JobRecord.Artifact("bb".repeat(32), 99, "app.jar")))
                .jvmArgs(List.of("-Xmx8g"))
                .outputPrefix("outputs/" + id + "/")
                .retries(retries)
                .kineticVersion("0.1.0")
                .build();
        AgentCommand command = AgentCommand.of(
                store, id, "aa".repeat(32), List.of("bb".repeat(32), "cc".repeat(32)), List.of("-Xmx8g"), 0);
        String yaml = Serialization.asYaml(new JobSpecBuilder(settings)
                .build(record, command, AcceleratorCatalog.builtIn().parse(accelerator)));
        Path file = GOLDEN.resolve(name + ".yaml");
        if (Boolean.getBoolean("kinetic.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, yaml);
        }
        assertThat(file)
                .as("golden file; create it with -Dkinetic.golden.update=true")
                .exists();
        assertThat(yaml).isEqualTo(Files.readString(file));
    }

    /**
     * The multi-host TPU slice tpu-v5e-16: one Indexed Job of 4 pods with 4 chips each on a 4x4 topology, and the
     * headless Service that names them (owned by the Job, whose uid the API server gives it on creation).
     */
    @Test
    void multiHostTpuSliceIsAnIndexedJobAndAHeadlessService() throws Exception {
        KubernetesSettings settings = KubernetesSettings.from(
                Map.of(
                        "namespace",
                        "ml-jobs",
                        "image",
                        "us-docker.pkg.dev/acme/kinetic/runtime:0.1.0",
                        "service-account",
                        "kinetic-runner"),
                Map.of());
        JobId id = JobId.of("v5e16-train-20261128-153012-abc1234");
        JobRecord record = JobRecord.builder()
                .id(id)
                .function("train", "com.acme.Train")
                .accelerator("tpu-v5e-16")
                .backend("kubernetes")
                .store("gs://acme-ml/kinetic")
                .createdAt(Instant.parse("2026-11-28T15:30:12Z"))
                .submittedBy("ana@laptop")
                .payload(new JobRecord.Artifact("aa".repeat(32), 1234, "payload.bin"))
                .classpath(List.of(new JobRecord.Artifact("bb".repeat(32), 99, "app.jar")))
                .outputPrefix("outputs/" + id + "/")
                .retries(1)
                .kineticVersion("0.1.0")
                .hosts(4)
                .build();
        Job job = new JobSpecBuilder(settings)
                .build(
                        record,
                        AgentCommand.forRecord(record),
                        AcceleratorCatalog.builtIn().parse("tpu-v5e-16"));
        String yaml = Serialization.asYaml(job);
        job.getMetadata().setUid("0d7c1c2e-5b1f-4f0e-9a57-6f2d1f7a9c31");
        yaml += Serialization.asYaml(MultiHostSpec.service(job, record));
        Path file = GOLDEN.resolve("tpu-v5e-16.yaml");
        if (Boolean.getBoolean("kinetic.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, yaml);
        }
        assertThat(file)
                .as("golden file; create it with -Dkinetic.golden.update=true")
                .exists();
        assertThat(yaml).isEqualTo(Files.readString(file));
    }

    /**
     * A GPU batch's worker Job (issue 16): JobSpecBuilder's pod (termination message, grace period, GPU environment,
     * sized requests), work-queue shaped, whose workers read the batch's captured variable from the Secret the Job
     * owns; and that Secret, its values redacted. ManifestSchemaTest checks both against Kubernetes' schema.
     */
    @Test
    void batchWorkersJobInheritsTheJobsPodAndReadsCapturedValuesFromASecret() throws Exception {
        KubernetesSettings settings = KubernetesSettings.from(
                Map.of(
                        "namespace",
                        "ml-jobs",
                        "image",
                        "us-docker.pkg.dev/acme/kinetic/runtime:0.1.0",
                        "service-account",
                        "kinetic-runner"),
                Map.of());
        String batchId = "embed-20261128-153012-abc1234";
        WorkerPool draft = new WorkerPool(
                WorkerPool.SCHEMA,
                batchId,
                0,
                3,
                1,
                JobRecord.builder()
                        .id(JobId.of(WorkerPool.name(batchId, 0)))
                        .function("embed", "com.acme.Embed")
                        .accelerator("l4")
                        .backend("kubernetes")
                        .store("gs://acme-ml/kinetic")
                        .createdAt(Instant.parse("2026-11-28T15:30:12Z"))
                        .submittedBy("ana@laptop")
                        .envNames(List.of("HF_TOKEN"))
                        .payload(new JobRecord.Artifact("aa".repeat(32), 1234, "payload.bin"))
                        .classpath(List.of(new JobRecord.Artifact("bb".repeat(32), 99, "app.jar")))
                        .jvmArgs(List.of("-Xmx8g"))
                        .retries(1)
                        .group(batchId, null)
                        .kineticVersion("0.1.0")
                        .build(),
                Map.of(KubernetesBackend.REF_NAMESPACE, "ml-jobs"),
                null);
        WorkerPool pool = WorkerJobs.prepare(draft);
        AgentCommand command =
                AgentCommand.forWorkers("gs://acme-ml/kinetic", batchId, List.of("bb".repeat(32)), List.of("-Xmx8g"));
        Job job = WorkerJobSpec.build(
                settings, pool, command, AcceleratorCatalog.builtIn().parse("l4"));
        CapturedEnvSecret.reference(job, pool.template(), List.of("HF_TOKEN"));
        var pod = job.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertThat(job.getSpec().getParallelism()).isEqualTo(3);
        assertThat(job.getSpec().getCompletions()).isNull();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(60L);
        assertThat(container.getTerminationMessagePath()).isEqualTo(TerminationMessage.PATH);
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("nvidia.com/gpu");
        assertThat(container.getEnv())
                .extracting(e -> e.getName())
                .contains("LD_LIBRARY_PATH", GpuEnvironment.TASK_PATH_PREFIX_ENV, JobSpecBuilder.GRACE_PERIOD_ENV)
                .contains(TerminationMessage.PATH_ENV, AgentCommand.WORKER_ID_ENV, "HF_TOKEN")
                .doesNotContain("KINETIC_JOB_ID");
        assertThat(container.getEnv())
                .filteredOn(e -> e.getName().equals("HF_TOKEN"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getValue()).isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef().getName())
                            .isEqualTo("kinetic-" + batchId + "-workers-0");
                });
        String yaml = Serialization.asYaml(job)
                + Serialization.asYaml(CapturedEnvSecret.redacted(pool.template(), "ml-jobs", List.of("HF_TOKEN")));
        Path file = GOLDEN.resolve("batch-workers-l4.yaml");
        if (Boolean.getBoolean("kinetic.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, yaml);
        }
        assertThat(file)
                .as("golden file; create it with -Dkinetic.golden.update=true")
                .exists();
        assertThat(yaml).isEqualTo(Files.readString(file));
    }
}
