package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.testing.TestKinetic;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is refused before anything is written to the store or created on the cluster, and how it is explained. */
class PrepareTest {
    @TempDir
    static Path shared;

    static MockCluster cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        cluster = MockCluster.start(shared);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void fileStoreWithoutSharedPathIsRefused() throws Exception {
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        k.environment().remove("KINETIC_SHARED_STORE_PATH");
        try (KineticSession s = k.session()) {
            assertThatThrownBy(() -> s.remote(() -> 1).runAsync())
                    .isInstanceOf(KineticException.class)
                    .hasMessageContaining("pods on the cluster cannot reach")
                    .hasMessageContaining("KINETIC_SHARED_STORE_PATH=")
                    .hasMessageContaining("gs://");
        }
        assertNothingWritten(k);
    }

    @Test
    void aHostCountThatDisagreesWithTheTpuSliceIsRefusedNamingBoth() throws Exception {
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        try (KineticSession s = k.session()) {
            assertThatThrownBy(() ->
                            s.remote(() -> 1).accelerator("tpu-v5e-16").hosts(2).runAsync())
                    .isInstanceOf(KineticException.class)
                    .hasMessageContaining("'tpu-v5e-16' is a TPU slice of 4 hosts (4x4), but hosts(2) asks for 2");
        }
        assertNothingWritten(k);
    }

    @Test
    void missingImageIsRefused() throws Exception {
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        k.environment().remove("KINETIC_IMAGE");
        try (KineticSession s = k.session()) {
            assertThatThrownBy(() -> s.remote(() -> 1).runAsync())
                    .isInstanceOf(KineticException.class)
                    .hasMessageContaining("KINETIC_IMAGE")
                    .hasMessageContaining("/opt/kinetic/lib/*");
        }
        assertNothingWritten(k);
    }

    @Test
    void unknownAcceleratorListsTheValidOnes() throws Exception {
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        try (KineticSession s = k.session()) {
            assertThatThrownBy(() -> s.remote(() -> 1).accelerator("b200").runAsync())
                    .isInstanceOf(KineticException.class)
                    .hasMessageContaining("unknown accelerator 'b200'")
                    .hasMessageContaining("a100[xN]")
                    .hasMessageContaining("tpu-v6e-N");
        }
    }

    @Test
    void invalidSettingNamesTheValueAndVariable() throws Exception {
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        k.environment().put("KINETIC_MEMORY", "lots");
        try (KineticSession s = k.session()) {
            assertThatThrownBy(() -> s.remote(() -> 1).runAsync())
                    .isInstanceOf(KineticException.class)
                    .hasMessageContaining("memory='lots'")
                    .hasMessageContaining("KINETIC_MEMORY")
                    .hasMessageContaining("8Gi");
        }
    }

    @Test
    void missingContextIsExplained() throws Exception {
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        k.environment().put("KINETIC_CONTEXT", "no-such-context");
        try (KineticSession s = k.session()) {
            assertThatThrownBy(() -> s.remote(() -> 1).runAsync())
                    .isInstanceOf(KineticException.class)
                    .hasMessageContaining("no-such-context")
                    .hasMessageContaining("kubectl config get-contexts");
        }
        assertNothingWritten(k);
    }

    private static void assertNothingWritten(TestKinetic k) throws Exception {
        Path jobs = k.storeDir().resolve("jobs");
        assertThat(!Files.exists(jobs) || Files.list(jobs).findAny().isEmpty())
                .as("no job record in %s", jobs)
                .isTrue();
    }
}
