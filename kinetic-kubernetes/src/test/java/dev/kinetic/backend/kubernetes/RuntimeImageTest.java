package dev.kinetic.backend.kubernetes;

import static dev.kinetic.backend.kubernetes.KubernetesFixture.NAMESPACE;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.backend.kubernetes.testnode.TestNode;
import dev.kinetic.image.LocalRegistry;
import dev.kinetic.testing.TestKinetic;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without an explicit image, the backend builds or reuses the runtime image for {@code KINETIC_REGISTRY} on the
 * first submit, against a real registry on 127.0.0.1; a registry it cannot use fails the submit before anything
 * is written or created.
 */
class RuntimeImageTest {
    private static final Duration MAX = Duration.ofSeconds(60);
    private static final String REPO = "kinetic/runtime";

    @TempDir
    static Path shared;

    static MockCluster cluster;
    static TestNode node;
    static LocalRegistry registry;
    static String base;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        if (!LocalRegistry.installed()) {
            return; // every test is skipped with the reason by normalNode()
        }
        registry = LocalRegistry.start(shared.resolve("registry"), false);
        base = registry.pushBase("base/jre", shared.resolve("base"), "a stand-in JRE base");
        cluster = MockCluster.start(shared);
        node = TestNode.start(cluster, shared.resolve("node"), KubernetesSettings.DEFAULT_AGENT_CLASSPATH);
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
            cluster.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void normalNode() {
        LocalRegistry.assumeInstalled();
        node.clearErrors();
        node.behaviour(job -> TestNode.Behaviour.run());
    }

    @Test
    void jobsRunOnTheImageBuiltOnceForTheRegistry() throws Exception {
        TestKinetic k = withRegistry(registry.address());
        String image;
        try (KineticSession s = k.session()) {
            JobHandle<Integer> first = s.remote(() -> 41 + 1).runAsync();
            image = containerImage(first.id());
            assertThat(image)
                    .matches(registry.address() + "/" + REPO + ":[a-z0-9_.-]+-[0-9a-f]{20}@sha256:[0-9a-f]{64}");
            assertThat(first.result(MAX)).isEqualTo(42);
            assertThat(registry.requests("PUT", "/v2/" + REPO + "/manifests/")).isEqualTo(1);

            JobHandle<Integer> second = s.remote(() -> 2).runAsync();
            assertThat(containerImage(second.id())).isEqualTo(image);
            assertThat(second.result(MAX)).isEqualTo(2);
        }
        try (KineticSession s = k.session()) { // a new backend: asks the registry, finds the tag, pushes nothing
            JobHandle<Integer> third = s.remote(() -> 3).runAsync();
            assertThat(containerImage(third.id())).isEqualTo(image);
            assertThat(third.result(MAX)).isEqualTo(3);
        }
        assertThat(registry.requests("PUT", "/v2/" + REPO + "/manifests/"))
                .as("built and pushed once")
                .isEqualTo(1);
        assertThat(node.errors()).isEmpty();
    }

    @Test
    void aPullFailureOfTheBuiltImageIsPendingWithItsName() throws Exception {
        node.behaviour(job -> TestNode.Behaviour.of(TestNode.Mode.IMAGE_PULL_ERROR));
        try (KineticSession s = withRegistry(registry.address()).session()) {
            JobHandle<Integer> job = s.remote(() -> 1).runAsync();
            JobInfo info = awaitInfo(job, i -> i.reason() != null && i.reason().startsWith("ImagePullBackOff"), MAX);
            assertThat(info.status()).isEqualTo(JobStatus.PENDING);
            assertThat(info.reason())
                    .contains(containerImage(job.id()))
                    .contains(registry.address() + "/" + REPO + ":");
            job.cleanup(Cleanup.ALL);
        }
    }

    @Test
    void anUnreachableRegistryFailsTheSubmitBeforeAnythingIsCreated() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TestKinetic k = withRegistry("127.0.0.1:" + port);
        int jobsBefore = cluster.client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(NAMESPACE)
                .list()
                .getItems()
                .size();
        try (KineticSession s = k.session()) {
            assertThatThrownBy(() -> s.remote(() -> 1).runAsync())
                    .isInstanceOf(KineticException.class)
                    .hasMessageContaining("cannot reach registry 127.0.0.1:" + port);
        }
        Path jobs = k.storeDir().resolve("jobs");
        assertThat(!Files.exists(jobs) || Files.list(jobs).findAny().isEmpty())
                .as("no job record in %s", jobs)
                .isTrue();
        assertThat(cluster.client()
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(NAMESPACE)
                        .list()
                        .getItems())
                .hasSize(jobsBefore);
    }

    @Test
    void anExplicitImageWinsOverTheRegistry() throws Exception {
        TestKinetic k = withRegistry("127.0.0.1:1"); // would fail if it were used
        k.environment().put("KINETIC_IMAGE", KubernetesFixture.IMAGE);
        try (KineticSession s = k.session()) {
            JobHandle<Integer> job = s.remote(() -> 5).runAsync();
            assertThat(containerImage(job.id())).isEqualTo(KubernetesFixture.IMAGE);
            assertThat(job.result(MAX)).isEqualTo(5);
        }
    }

    @Test
    void aDryRunShowsTheTagEachCategorysImageWouldGetAndBuildsNothing() throws Exception {
        TestKinetic k = withRegistry(registry.address());
        String repo = "kinetic/dry-run";
        k.environment().put("KINETIC_REGISTRY", registry.address() + "/" + repo);
        // GPU jobs get their own base (a CUDA runtime with a JRE, in real life); TPU jobs fall back to base-image.
        k.environment().put("KINETIC_BASE_IMAGE_GPU", registry.pushBase("base/cuda-jre", tmp.resolve("gpu"), "GPU"));
        try (KineticSession s = k.session()) {
            String cpu = image(s.remote(() -> 1).dryRun());
            String gpu = image(s.remote(() -> 1).accelerator("l4").dryRun());
            String tpu = image(s.remote(() -> 1).accelerator("v5e-4").dryRun());
            assertThat(cpu).matches(registry.address() + "/" + repo + ":[a-z0-9_.-]+-[0-9a-f]{20}");
            assertThat(gpu).as("another base, another tag").isNotEqualTo(cpu).startsWith(registry.address() + "/");
            assertThat(tpu).as("base-image-tpu unset: the cpu image").isEqualTo(cpu);
        }
        assertThat(registry.requests("PUT", "/v2/" + repo + "/"))
                .as("nothing pushed")
                .isZero();
    }

    @SuppressWarnings("unchecked")
    private static String image(java.util.List<java.util.Map<String, Object>> objects) {
        var spec = (java.util.Map<String, Object>) objects.get(0).get("spec");
        var template = (java.util.Map<String, Object>) spec.get("template");
        var pod = (java.util.Map<String, Object>) template.get("spec");
        var containers = (java.util.List<java.util.Map<String, Object>>) pod.get("containers");
        return (String) containers.get(0).get("image");
    }

    private TestKinetic withRegistry(String address) throws Exception {
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        k.environment().remove("KINETIC_IMAGE");
        k.environment().put("KINETIC_REGISTRY", address + "/" + REPO);
        k.environment().put("KINETIC_REGISTRY_INSECURE", "true");
        k.environment().put("KINETIC_BASE_IMAGE", base);
        k.environment().put("DOCKER_CONFIG", tmp.resolve("no-docker-config").toString());
        return k;
    }

    private static String containerImage(String jobId) {
        return cluster.client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(NAMESPACE)
                .withName(jobId)
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage();
    }
}
