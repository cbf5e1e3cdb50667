package dev.kinetic.backend.kubernetes;

import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.backend.kubernetes.testnode.TestNode;
import dev.kinetic.spi.BackendContractTest;
import dev.kinetic.testing.TestKinetic;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes backend against the backend contract: fabric8's mock API server in CRUD mode over real HTTP, and the
 * test node running each pod's container command (the real agent) as a local process.
 */
class KubernetesBackendContractTest extends BackendContractTest {
    @TempDir
    static Path shared;

    static MockCluster cluster;
    static TestNode node;

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

    @Override
    protected TestKinetic kinetic(Path root) throws Exception {
        return KubernetesFixture.kinetic(root, cluster);
    }
}
