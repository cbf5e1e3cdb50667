package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.backend.kubernetes.testnode.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class's cluster: fabric8's mock API server and a test node that runs every pod normally, one for the whole
 * class; each test starts from a node that runs pods and must leave it without errors.
 */
abstract class TestNodeCluster {
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
    static void stopCluster() {
        node.close();
        cluster.close();
    }

    @BeforeEach
    void normalNode() {
        node.clearErrors();
        node.behaviour(job -> TestNode.Behaviour.run());
    }

    @AfterEach
    void nodeHadNoTrouble() {
        assertThat(node.errors()).isEmpty();
    }
}
