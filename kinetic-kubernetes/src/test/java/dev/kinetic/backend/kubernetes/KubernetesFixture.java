package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.KineticSession;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.testing.TestKinetic;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/** Sessions configured for the mock cluster: kubernetes backend, explicit context, a file: store on a shared path. */
final class KubernetesFixture {
    static final String NAMESPACE = "kinetic-test";
    static final String IMAGE = "registry.example.com/kinetic/runtime:test";

    private KubernetesFixture() {}

    static TestKinetic kinetic(Path tmp, MockCluster cluster) throws IOException {
        TestKinetic k = new TestKinetic(tmp);
        k.environment().put("KINETIC_BACKEND", "kubernetes");
        k.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
        k.environment().put("KINETIC_CONTEXT", MockCluster.CONTEXT);
        k.environment().put("KINETIC_NAMESPACE", NAMESPACE);
        k.environment().put("KINETIC_IMAGE", IMAGE);
        k.environment().put("KINETIC_SHARED_STORE_PATH", tmp.toString());
        return k;
    }

    static KineticSession session(Path tmp, MockCluster cluster) throws IOException {
        return kinetic(tmp, cluster).session();
    }

    /** Polls until the job's description matches (tests only: the library itself never polls like this). */
    static JobInfo awaitInfo(JobHandle<?> job, Predicate<JobInfo> condition, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        JobInfo info = job.describe();
        while (!condition.test(info)) {
            assertThat(System.nanoTime())
                    .as("waiting for job %s; last seen %s", job.id(), info)
                    .isLessThan(deadline);
            Thread.sleep(50);
            info = job.describe();
        }
        return info;
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, Duration max, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
