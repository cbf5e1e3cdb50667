package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kinetic.Cleanup;
import dev.kinetic.JobCancelledException;
import dev.kinetic.JobFailedException;
import dev.kinetic.JobHandle;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.testing.TestKinetic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same loop as {@link KubernetesLoopTest} on a real cluster. Skipped unless {@code KINETIC_IT_KUBECONFIG}
 * is set; then it also needs {@code KINETIC_IT_IMAGE} (the runtime image) and {@code KINETIC_IT_STORE} (a store
 * the pods can reach, whose module is on the test classpath, or a {@code file:} store with
 * {@code KINETIC_IT_SHARED_STORE_PATH}); {@code KINETIC_IT_CONTEXT} and {@code KINETIC_IT_NAMESPACE} are optional.
 */
class RealClusterTest {
    private static final Duration MAX = Duration.ofMinutes(15); // a fresh node pool can take minutes

    @TempDir
    Path tmp;

    private final Map<String, String> env = System.getenv();

    @BeforeEach
    void requireCluster() {
        assumeTrue(
                env.get("KINETIC_IT_KUBECONFIG") != null,
                "no real cluster: set KINETIC_IT_KUBECONFIG (and KINETIC_IT_IMAGE, KINETIC_IT_STORE) to run this test");
        assumeTrue(
                env.get("KINETIC_IT_IMAGE") != null && env.get("KINETIC_IT_STORE") != null,
                "KINETIC_IT_KUBECONFIG is set but KINETIC_IT_IMAGE or KINETIC_IT_STORE is not");
    }

    private KineticSession session() throws Exception {
        TestKinetic k = new TestKinetic(tmp);
        Map<String, String> e = k.environment();
        e.put("KINETIC_BACKEND", "kubernetes");
        e.put("KUBECONFIG", env.get("KINETIC_IT_KUBECONFIG"));
        e.put("KINETIC_IMAGE", env.get("KINETIC_IT_IMAGE"));
        e.put("KINETIC_STORE", env.get("KINETIC_IT_STORE"));
        copy("KINETIC_IT_CONTEXT", "KINETIC_CONTEXT", e);
        copy("KINETIC_IT_NAMESPACE", "KINETIC_NAMESPACE", e);
        copy("KINETIC_IT_SHARED_STORE_PATH", "KINETIC_SHARED_STORE_PATH", e);
        return k.session();
    }

    private void copy(String from, String to, Map<String, String> e) {
        if (env.get(from) != null) {
            e.put(to, env.get(from));
        }
    }

    @Test
    void submitLogsResultCleanup() throws Exception {
        try (KineticSession s = session()) {
            JobHandle<Integer> job = s.remote(() -> {
                        for (int i = 0; i < 5; i++) {
                            System.out.println("real line " + i);
                            Thread.sleep(500);
                        }
                        return 42;
                    })
                    .runAsync();
            assertThat(job.status()).isIn(JobStatus.PENDING, JobStatus.RUNNING);
            List<String> lines = new CopyOnWriteArrayList<>();
            job.followLogs(lines::add);
            assertThat(lines).contains("real line 0", "real line 4").doesNotHaveDuplicates();
            assertThat(job.result(MAX)).isEqualTo(42);
            assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
        }
    }

    @Test
    void failingTaskKeepsTheJob() throws Exception {
        try (KineticSession s = session()) {
            JobHandle<Integer> job = s.remote((dev.kinetic.RemoteCallable<Integer>) () -> {
                        throw new IllegalStateException("real failure");
                    })
                    .runAsync();
            assertThatThrownBy(() -> job.result(MAX))
                    .isInstanceOf(JobFailedException.class)
                    .hasRootCauseMessage("real failure");
            assertThat(job.status()).isEqualTo(JobStatus.FAILED);
            job.cleanup(Cleanup.ALL);
        }
    }

    @Test
    void cancel() throws Exception {
        try (KineticSession s = session()) {
            JobHandle<Integer> job = s.remote(() -> {
                        Thread.sleep(600_000);
                        return 1;
                    })
                    .runAsync();
            assertThat(job.cancel()).isTrue();
            assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
            assertThatThrownBy(() -> job.result(MAX)).isInstanceOf(JobCancelledException.class);
            job.cleanup(Cleanup.ALL);
        }
    }
}
