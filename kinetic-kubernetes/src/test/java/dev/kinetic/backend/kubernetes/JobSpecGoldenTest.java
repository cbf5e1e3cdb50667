package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.accelerator.AcceleratorCatalog;
import dev.kinetic.backend.AgentCommand;
import dev.kinetic.job.JobRecord;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
            "cpu-retries,  cpu,             2, file:/mnt/shared/kinetic-store"})
    void jobSpec(String name, String accelerator, int retries, String store) throws Exception {
        KubernetesSettings settings = KubernetesSettings.from(Map.of(
                "namespace", "ml-jobs", "image", "us-docker.pkg.dev/acme/kinetic/runtime:0.1.0",
                "service-account", "kinetic-runner", "shared-store-path", "/mnt/shared"), Map.of());
        String id = "job-" + name + "-20261128-153012-abc1234";
        JobRecord record = new JobRecord(JobRecord.SCHEMA, id, "train", "com.acme.Train", accelerator, "kubernetes",
                store, Instant.parse("2026-11-28T15:30:12Z"), "ana@laptop", Map.of(), List.of(),
                new JobRecord.Artifact("aa".repeat(32), 1234, "payload.bin"),
                List.of(new JobRecord.Artifact("bb".repeat(32), 99, "app.jar")), List.of("-Xmx8g"), "outputs/" + id + "/",
                retries, null, null, Map.of(), Map.of(), "0.1.0");
        AgentCommand command = new AgentCommand(store, id, "aa".repeat(32), List.of("bb".repeat(32), "cc".repeat(32)),
                List.of("-Xmx8g"));
        String yaml = Serialization.asYaml(new JobSpecBuilder(settings).build(record, command,
                AcceleratorCatalog.builtIn().parse(accelerator)));
        Path file = GOLDEN.resolve(name + ".yaml");
        if (Boolean.getBoolean("kinetic.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, yaml);
        }
        assertThat(file).as("golden file; create it with -Dkinetic.golden.update=true").exists();
        assertThat(yaml).isEqualTo(Files.readString(file));
    }
}
