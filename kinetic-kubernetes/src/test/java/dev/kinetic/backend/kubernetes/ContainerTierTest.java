package dev.kinetic.backend.kubernetes;

import static dev.kinetic.backend.kubernetes.KubernetesFixture.NAMESPACE;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitInfo;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kinetic.Cleanup;
import dev.kinetic.JobCancelledException;
import dev.kinetic.JobFailedException;
import dev.kinetic.JobHandle;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.RemoteCallable;
import dev.kinetic.backend.kubernetes.testnode.JreBaseImage;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.backend.kubernetes.testnode.Podman;
import dev.kinetic.backend.kubernetes.testnode.PodmanRunner;
import dev.kinetic.backend.kubernetes.testnode.TestNode;
import dev.kinetic.image.LocalRegistry;
import dev.kinetic.store.s3.S3MockServer;
import dev.kinetic.testing.TestKinetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container tier: the same public API and mock API server as {@link KubernetesLoopTest}, but each pod's
 * container runs for real with podman, from the runtime image kinetic-image built and pushed to a registry on
 * 127.0.0.1, against a real S3-compatible store (S3Mock) on 127.0.0.1. The agent in the container downloads the
 * job's classpath from the store; nothing of this machine's file system is mounted. Skipped, with the reason,
 * where podman, runc, the registry or a way to build the JRE base is missing, or where a trial container fails.
 */
class ContainerTierTest {
    private static final Duration MAX = Duration.ofSeconds(180);
    /** Where the debootstrapped JRE lives in the container: proof the task ran on the image's JRE, not this JVM's. */
    private static final String IMAGE_JAVA_HOME = "/usr/lib/jvm/java-17-openjdk-amd64";

    @TempDir
    static Path shared;

    static String skipReason;
    static Podman podman;
    static LocalRegistry registry;
    static S3MockServer s3;
    static MockCluster cluster;
    static TestNode node;
    static String image;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        skipReason = Stream.of(
                        Podman.missingReason(),
                        JreBaseImage.missingReason(),
                        LocalRegistry.installed()
                                ? null
                                : "no docker-registry: apt-get install -y --no-install-recommends docker-registry")
                .filter(r -> r != null)
                .findFirst()
                .orElse(null);
        if (skipReason != null) {
            System.err.println("ContainerTierTest is skipped: " + skipReason);
            return; // every test is skipped with the reason by checkNode()
        }
        long t0 = System.nanoTime();
        podman = Podman.under(shared.resolve("podman"));
        String base = JreBaseImage.importInto(podman);
        long imported = System.nanoTime();
        skipReason = podman.trialRunFailure(base);
        if (skipReason != null) {
            System.err.println("ContainerTierTest is skipped: " + skipReason);
            return;
        }
        registry = LocalRegistry.start(shared.resolve("registry"), false);
        image = RuntimeImageFixture.build(registry.address(), JreBaseImage.push(podman, registry.address()), shared);
        s3 = S3MockServer.start();
        cluster = MockCluster.start(shared);
        node = TestNode.startWithPodman(cluster, shared.resolve("node"), new PodmanRunner(podman));
        // Where the set-up time goes, for whoever has to make it faster (surefire keeps it in the report).
        System.out.printf(
                "container tier ready in %d s (base image built or reused and imported: %d s)%n",
                (System.nanoTime() - t0) / 1_000_000_000, (imported - t0) / 1_000_000_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
            cluster.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (podman != null) {
            podman.reset(); // its overlay storage must be unmounted before the temp directory is deleted
        }
    }

    @BeforeEach
    void checkNode() {
        assumeTrue(skipReason == null, skipReason);
        node.clearErrors();
    }

    @AfterEach
    void nodeHadNoTrouble() {
        if (node != null) {
            assertThat(node.errors()).as("the test node's errors").isEmpty();
        }
    }

    @Test
    void aJobRunsInTheContainerFromTheBuiltImage() throws Exception {
        String hostDir = tmp.toString();
        try (KineticSession s = session()) {
            JobHandle<String> job = s.remote(() -> {
                        System.out.println("hello from the container");
                        return System.getProperty("java.home") + "|"
                                + Files.readString(Path.of("/proc/sys/kernel/hostname"))
                                        .strip() + "|" + Files.exists(Path.of("/run/.containerenv")) + "|"
                                + Files.exists(Path.of(hostDir));
                    })
                    .runAsync();
            assertThat(containerImage(job.id())).isEqualTo(image);

            String value = job.result(MAX, Cleanup.NONE);
            String[] seen = value.split("\\|");
            assertThat(seen[0]).as("the image's JRE ran the task").isEqualTo(IMAGE_JAVA_HOME);
            String pod = cluster.client()
                    .pods()
                    .inNamespace(NAMESPACE)
                    .withLabel("job-name", job.id())
                    .list()
                    .getItems()
                    .get(0)
                    .getMetadata()
                    .getName();
            assertThat(seen[1])
                    .as("the container's hostname is the pod's name, cut to 63 characters")
                    .isEqualTo(pod.substring(0, Math.min(63, pod.length())).replaceAll("-+$", ""));
            assertThat(seen[2])
                    .as("podman's marker file: it ran in a container")
                    .isEqualTo("true");
            assertThat(seen[3])
                    .as("this machine's directory %s is not visible in the container", hostDir)
                    .isEqualTo("false");
            assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(job.tail(5))
                    .as("the pod log, from the container's output")
                    .contains("hello from the container");
            assertThat(registry.requests(
                            "GET", "/v2/kinetic/runtime/manifests/" + image.substring(image.indexOf('@') + 1)))
                    .as("podman pulled the pinned image from the registry")
                    .isPositive();

            job.cleanup(Cleanup.ALL);
            assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
        }
    }

    @Test
    void aThrowingJobFailsWithTheOriginalException() throws Exception {
        try (KineticSession s = session()) {
            JobHandle<Integer> job = s.remote((RemoteCallable<Integer>) () -> {
                        System.out.println("about to fail");
                        throw new IllegalStateException("bad input 17");
                    })
                    .runAsync();
            assertThatThrownBy(() -> job.result(MAX))
                    .as("log: %s", job.logs())
                    .isInstanceOf(JobFailedException.class)
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .rootCause()
                    .hasMessage("bad input 17");
            assertThat(job.describe().status()).isEqualTo(JobStatus.FAILED);
            assertThat(job.logs()).contains("about to fail");
            job.cleanup(Cleanup.ALL);
        }
    }

    @Test
    void cancelStopsTheContainer() throws Exception {
        try (KineticSession s = session()) {
            JobHandle<Integer> job = s.remote(() -> {
                        System.out.println("working");
                        Thread.sleep(300_000);
                        return 1;
                    })
                    .runAsync();
            awaitInfo(job, i -> i.status() == JobStatus.RUNNING, MAX);
            awaitTrue(() -> job.tail(1).contains("working"), MAX, "the task to print in the container");
            assertThat(containers(job.id())).as("the running container").isNotEmpty();

            assertThat(job.cancel()).isTrue();
            assertThat(cluster.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .withName(job.id())
                            .get())
                    .as("cancel confirmed the Job is gone")
                    .isNull();
            assertThat(node.isRunning(NAMESPACE, job.id())).isFalse();
            assertThat(containers(job.id()))
                    .as("podman stopped and removed the container")
                    .isEmpty();
            assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
            assertThatThrownBy(() -> job.result(MAX)).isInstanceOf(JobCancelledException.class);
            assertThat(job.logs())
                    .as("logs of the deleted pod come from the store")
                    .contains("working");
        }
    }

    private KineticSession session() throws Exception {
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        k.environment().remove("KINETIC_SHARED_STORE_PATH"); // nothing is shared with the container
        k.environment().put("KINETIC_IMAGE", image);
        k.environment().put("KINETIC_STORE", s3.storeUri("container-tier").toString());
        k.environment().putAll(s3.environment());
        // How the container reaches the store: the same endpoint (host network) and credentials, through the Job spec.
        k.environment()
                .put(
                        "KINETIC_POD_ENV",
                        s3.environment().entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .sorted()
                                .collect(Collectors.joining(",")));
        return k.session();
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

    /** The names of podman containers (running or not) of this job's pods. */
    private static String containers(String jobId) throws Exception {
        return podman.check(
                Duration.ofSeconds(30),
                "ps",
                "--all",
                "--format",
                "{{.Names}}",
                "--filter",
                "name=kinetic-" + jobId + "-");
    }
}
