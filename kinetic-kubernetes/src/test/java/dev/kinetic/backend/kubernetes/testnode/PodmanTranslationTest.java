package dev.kinetic.backend.kubernetes.testnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The container tier runs exactly what the spec says, and refuses what it cannot honour (no podman needed). */
class PodmanTranslationTest {
    private static final String IMAGE = "127.0.0.1:5000/kinetic/runtime:0.1.0-abc@sha256:" + "d".repeat(64);

    @Test
    void commandArgsEnvAndLimitsComeFromTheSpec() throws Exception {
        PodmanTranslation.Launch launch = PodmanTranslation.translate(spec().build(), "job-1-x7k2q");
        assertThat(launch.image())
                .as("the digest alone: podman refuses tag and digest together")
                .isEqualTo("127.0.0.1:5000/kinetic/runtime@sha256:" + "d".repeat(64));
        assertThat(launch.pull()).isTrue();
        assertThat(String.join(" ", launch.runArgs()))
                .startsWith("run --rm --name kinetic-job-1-x7k2q --hostname job-1-x7k2q "
                        + "--network host --pull never --ulimit nofile=1024:1024 --ulimit nproc=1024:1024")
                .contains(
                        "--memory 2147483648 --env KINETIC_JOB_ID=job-1 --env KINETIC_S3_ENDPOINT=http://127.0.0.1:9090 "
                                + "--entrypoint [\"java\",\"-cp\",\"/opt/kinetic/lib/*\",\"dev.kinetic.internal.agent.Agent\"] "
                                + launch.image() + " --store s3://b/k --job job-1")
                .endsWith("--job job-1");
    }

    @Test
    void aLongPodNameIsCutToAValidHostname() {
        assertThat(PodmanTranslation.hostname("a".repeat(62) + "-bcdef")).isEqualTo("a".repeat(62));
        assertThat(PodmanTranslation.hostname("short-pod")).isEqualTo("short-pod");
    }

    @Test
    void aSharedStoreVolumeAndAServiceAccountAreRefused() throws Exception {
        PodSpec golden = golden("cpu-retries");
        assertThatThrownBy(() -> PodmanTranslation.translate(golden, "p"))
                .isInstanceOf(ContainerTranslation.Untranslatable.class)
                .hasMessageContaining("the pod spec has fields this node cannot run faithfully")
                .hasMessageContaining("volumes=")
                .hasMessageContaining("serviceAccountName=kinetic-runner");
    }

    @Test
    void acceleratorsAndPlacementAreRefused() throws Exception {
        PodSpec gpu = golden("gpu-a100x4");
        assertThatThrownBy(() -> PodmanTranslation.translate(gpu, "p"))
                .isInstanceOf(ContainerTranslation.Untranslatable.class)
                .hasMessageContaining("nodeSelector=")
                .hasMessageContaining("tolerations=");
        PodSpec gpuLimitOnly = spec().editFirstContainer()
                .editResources()
                .addToLimits("nvidia.com/gpu", new Quantity("4"))
                .endResources()
                .endContainer()
                .build();
        assertThatThrownBy(() -> PodmanTranslation.translate(gpuLimitOnly, "p")).hasMessageContaining("nvidia.com/gpu");
    }

    @Test
    void containerFieldsItCannotHonourAreRefused() {
        PodSpec workingDir = spec().editFirstContainer()
                .withWorkingDir("/work")
                .endContainer()
                .build();
        assertThatThrownBy(() -> PodmanTranslation.translate(workingDir, "p")).hasMessageContaining("workingDir=/work");
        PodSpec fromSecret = spec().editFirstContainer()
                .addNewEnv()
                .withName("TOKEN")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName("s")
                .withKey("k")
                .endSecretKeyRef()
                .endValueFrom()
                .endEnv()
                .endContainer()
                .build();
        assertThatThrownBy(() -> PodmanTranslation.translate(fromSecret, "p"))
                .hasMessageContaining("env TOKEN uses valueFrom");
        PodSpec restarting = spec().withRestartPolicy("OnFailure").build();
        assertThatThrownBy(() -> PodmanTranslation.translate(restarting, "p"))
                .hasMessageContaining("restartPolicy must be Never");
    }

    private static PodSpecBuilder spec() {
        return new PodSpecBuilder()
                .withRestartPolicy("Never")
                .withNodeName("test-node-1")
                .addNewContainer()
                .withName("agent")
                .withImage(IMAGE)
                .withCommand("java", "-cp", "/opt/kinetic/lib/*", "dev.kinetic.internal.agent.Agent")
                .withArgs("--store", "s3://b/k", "--job", "job-1")
                .addNewEnv()
                .withName("KINETIC_JOB_ID")
                .withValue("job-1")
                .endEnv()
                .addNewEnv()
                .withName("KINETIC_S3_ENDPOINT")
                .withValue("http://127.0.0.1:9090")
                .endEnv()
                .withNewResources()
                .addToRequests("cpu", new Quantity("1"))
                .addToRequests("memory", new Quantity("2Gi"))
                .addToLimits("memory", new Quantity("2Gi"))
                .endResources()
                .endContainer();
    }

    private static PodSpec golden(String name) throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/golden", name + ".yaml"));
        return Serialization.unmarshal(yaml, Job.class).getSpec().getTemplate().getSpec();
    }
}
