package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.backend.kubernetes.testnode.TestNode;
import dev.kinetic.testing.Jobs;
import dev.kinetic.testing.LeakCheck;
import dev.kinetic.testing.TestKinetic;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 500 attaches through the static entry points against the mock API server: one shared session, so one Kubernetes
 * client, whatever the number of calls (it was one client, with its thread pools, per call: 79 to 1 202 threads).
 */
class KubernetesAttachLeakTest {
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
    }

    @AfterAll
    static void stopCluster() throws Exception {
        node.close();
        cluster.close();
    }

    @Test
    void fiveHundredAttachesKeepThreadsAndFileDescriptorsFlat() throws Exception {
        TestKinetic kinetic = KubernetesFixture.kinetic(tmp, cluster);
        try (KineticSession session = kinetic.session()) {
            JobHandle<Integer> job =
                    session.remote(() -> Jobs.sleepThen(60_000, 1)).runAsync();
            try {
                LeakCheck.Growth g =
                        LeakCheck.attachRepeatedly(job.id(), 500, kinetic.environment(), tmp.resolve("attach.log"));
                assertThat(g.status()).isIn("PENDING", "RUNNING");
            } finally {
                job.cancel();
            }
        }
    }
}
