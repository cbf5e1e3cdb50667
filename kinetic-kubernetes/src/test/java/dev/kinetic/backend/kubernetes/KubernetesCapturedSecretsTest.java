package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.backend.kubernetes.testnode.TestNode;
import dev.kinetic.spi.Hashing;
import dev.kinetic.testing.TestKinetic;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captured values on a cluster travel in a Secret owned by the Job, which the container reads through
 * {@code secretKeyRef}: never a literal value in the Job, never in the store; cleanup and a failed submit delete it.
 */
class KubernetesCapturedSecretsTest {
    private static final String SECRET = "sk-k8s-planted-" + Long.toHexString(System.nanoTime());

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
        cluster.server()
                .expect()
                .post()
                .withPath("/apis/batch/v1/namespaces/no-jobs-here/jobs")
                .andReturn(
                        403,
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":403,"
                                + "\"reason\":\"Forbidden\",\"message\":\"jobs.batch is forbidden\"}")
                .always();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        node.close();
        cluster.close();
    }

    static String seen() {
        String v = System.getenv("PROBE_SECRET_TOKEN");
        return v == null ? "missing" : Hashing.sha256(v.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSecretIsOwnedByTheJobReadByReferenceSeenByTheTaskAndGoneAfterCleanup() throws Exception {
        TestKinetic kinetic = KubernetesFixture.kinetic(tmp, cluster);
        kinetic.environment().put("PROBE_SECRET_TOKEN", SECRET);
        try (KineticSession session = kinetic.session()) {
            JobHandle<String> job = session.remote(KubernetesCapturedSecretsTest::seen)
                    .captureEnv("PROBE_SECRET_*")
                    .runAsync();
            String ns = KubernetesFixture.NAMESPACE;
            Job k8sJob = cluster.client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(ns)
                    .withName(job.id())
                    .get();
            Secret secret = cluster.client()
                    .secrets()
                    .inNamespace(ns)
                    .withName("kinetic-" + job.id())
                    .get();
            assertThat(secret).isNotNull();
            assertThat(secret.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> {
                        assertThat(o.getKind()).isEqualTo("Job");
                        assertThat(o.getName()).isEqualTo(job.id());
                        assertThat(o.getUid()).isEqualTo(k8sJob.getMetadata().getUid());
                    });
            List<EnvVar> env = k8sJob.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv();
            EnvVar probe = env.stream()
                    .filter(e -> e.getName().equals("PROBE_SECRET_TOKEN"))
                    .findFirst()
                    .orElseThrow();
            assertThat(probe.getValue()).as("no literal value in the Job").isNull();
            assertThat(probe.getValueFrom().getSecretKeyRef().getName()).isEqualTo("kinetic-" + job.id());
            assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(k8sJob))
                    .doesNotContain(SECRET);

            assertThat(job.result(Duration.ofSeconds(60), Cleanup.NONE))
                    .as("the task saw the value")
                    .isEqualTo(Hashing.sha256(SECRET.getBytes(StandardCharsets.UTF_8)));
            assertThat(CapturedSecretsFiles.holding(kinetic.home(), SECRET))
                    .as("files of the store")
                    .isEmpty();
            job.cleanup(Cleanup.ALL);
            assertThat(cluster.client()
                            .secrets()
                            .inNamespace(ns)
                            .withName("kinetic-" + job.id())
                            .get())
                    .isNull();
        }
    }

    @Test
    void aSubmitRefusedAfterTheSecretWasCreatedDeletesIt() throws Exception {
        TestKinetic kinetic = KubernetesFixture.kinetic(tmp, cluster);
        kinetic.environment().put("PROBE_SECRET_TOKEN", SECRET);
        kinetic.environment().put("KINETIC_NAMESPACE", "no-jobs-here");
        try (KineticSession session = kinetic.session()) {
            assertThatThrownBy(() -> session.remote(KubernetesCapturedSecretsTest::seen)
                            .captureEnv("PROBE_SECRET_*")
                            .runAsync())
                    .isInstanceOf(KineticException.class)
                    .hasMessageNotContaining(SECRET);
            assertThat(cluster.client()
                            .secrets()
                            .inNamespace("no-jobs-here")
                            .list()
                            .getItems())
                    .as("secrets left in the namespace")
                    .isEmpty();
        }
    }

    /** Files under a root holding a string. */
    static final class CapturedSecretsFiles {
        static List<Path> holding(Path root, String needle) throws java.io.IOException {
            try (var files = java.nio.file.Files.walk(root)) {
                return files.filter(java.nio.file.Files::isRegularFile)
                        .filter(p -> {
                            try {
                                return new String(java.nio.file.Files.readAllBytes(p), StandardCharsets.ISO_8859_1)
                                        .contains(needle);
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        })
                        .toList();
            }
        }
    }
}
