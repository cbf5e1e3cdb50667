package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import dev.kinetic.backend.kubernetes.testnode.KubernetesSchema;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.spi.Json;
import dev.kinetic.testing.TestKinetic;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Job spec Kinetic writes, checked by Kubernetes' own schema ({@link KubernetesSchema}, release 1.32), not
 * against itself: the golden files, and the dry runs of several jobs. The check is shown to fail on an unknown field
 * and on a wrong type, so a pass means something.
 */
class ManifestSchemaTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TempDir
    static Path shared;

    static MockCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = MockCluster.start(shared);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    static Stream<Path> goldenFiles() throws Exception {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            List<Path> all =
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(all).as("golden files").hasSizeGreaterThanOrEqualTo(4);
            return all.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void everyGoldenSpecIsValid(Path file) throws Exception {
        List<String> documents = documents(file);
        assertThat(documents).as(file + " has a Job").isNotEmpty();
        for (String document : documents) {
            assertThat(KubernetesSchema.problems(document)).as(file.toString()).isEmpty();
        }
    }

    @Test
    void anUnknownFieldAndAWrongTypeFail() throws Exception {
        Map<String, Object> job = Json.MAPPER.readValue(json(GOLDEN.resolve("gpu-a100x4.yaml")), Map.class);
        Map<String, Object> container = container(job);
        container.put("gpus", 4); // not a field of Container
        assertThat(KubernetesSchema.problems(Json.MAPPER.writeValueAsString(job)))
                .singleElement()
                .asString()
                .contains("`gpus`")
                .contains("not defined in the `V1Container` properties");

        container.remove("gpus");
        spec(job).put("backoffLimit", "none"); // an integer field
        assertThat(KubernetesSchema.problems(Json.MAPPER.writeValueAsString(job)))
                .singleElement()
                .asString()
                .contains("NumberFormatException")
                .contains("none");

        spec(job).put("backoffLimit", 0);
        container.put("env", Map.of("name", "A")); // an array field
        assertThat(KubernetesSchema.problems(Json.MAPPER.writeValueAsString(job)))
                .isNotEmpty();

        container.remove("env");
        container.remove("name"); // required
        assertThat(KubernetesSchema.problems(Json.MAPPER.writeValueAsString(job)))
                .singleElement()
                .asString()
                .contains("required field `name`");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "cpu:4", "l4", "a100x4:spot", "gpu:8", "v5litepod-4", "tpu-v3-4", "v6e-8:spot"})
    void dryRunsAreValidAndWriteNothing(String accelerator, @TempDir Path tmp) throws Exception {
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        k.environment().put("KINETIC_SERVICE_ACCOUNT", "kinetic");
        try (KineticSession s = k.session()) {
            List<Map<String, Object>> objects =
                    s.remote(() -> 42).accelerator(accelerator).dryRun();
            assertThat(objects).extracting(o -> o.get("kind")).containsExactly("Job");
            for (Map<String, Object> o : objects) {
                assertThat(KubernetesSchema.problems(Json.MAPPER.writeValueAsString(o)))
                        .as(accelerator)
                        .isEmpty();
            }
        }
        assertThat(k.storeDir().resolve("jobs")).as("nothing recorded").doesNotExist();
        assertThat(k.storeDir().resolve("cas")).as("nothing uploaded").doesNotExist();
        assertThat(cluster.client().batch().v1().jobs().inAnyNamespace().list().getItems())
                .as("nothing created")
                .isEmpty();
    }

    @Test
    void aDryRunRefusesWhatASubmitWouldRefuse(@TempDir Path tmp) throws Exception {
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            assertThatThrownBy(() -> s.remote(() -> 1).accelerator("a100x3").dryRun())
                    .isInstanceOf(KineticException.class)
                    .hasMessageContaining("a100x3")
                    .hasMessageContaining("counts of");
            assertThatThrownBy(() -> s.remote(() -> 1).backend("local").dryRun())
                    .hasMessageContaining("the local backend creates no objects");
        }
    }

    @Test
    void aMultiHostDryRunIsAValidJobAndHeadlessService(@TempDir Path tmp) throws Exception {
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            List<Map<String, Object>> objects =
                    s.remote(() -> 1).accelerator("v5e-16").dryRun();
            assertThat(objects).extracting(o -> o.get("kind")).containsExactly("Job", "Service");
            for (Map<String, Object> o : objects) {
                assertThat(KubernetesSchema.problems(Json.MAPPER.writeValueAsString(o)))
                        .as(String.valueOf(o.get("kind")))
                        .isEmpty();
            }
        }
    }

    /** The file's first document, the Job, as JSON. */
    private static String json(Path yaml) throws Exception {
        return documents(yaml).get(0);
    }

    /** Every YAML document of a golden file (a multi-host job has a Service after its Job), as JSON. */
    private static List<String> documents(Path yaml) throws Exception {
        List<String> documents = new java.util.ArrayList<>();
        for (String part : Files.readString(yaml).split("(?m)^---\\s*$")) {
            if (part.isBlank()) {
                continue;
            }
            Object parsed = Serialization.unmarshal(part, Map.class);
            documents.add(Json.MAPPER.writeValueAsString(parsed));
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> job) {
        return (Map<String, Object>) job.get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Map<String, Object> job) {
        Map<String, Object> template = (Map<String, Object>) spec(job).get("template");
        Map<String, Object> podSpec = (Map<String, Object>) template.get("spec");
        return ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
    }
}
