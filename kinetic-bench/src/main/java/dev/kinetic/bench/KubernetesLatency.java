package dev.kinetic.bench;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;
import dev.kinetic.backend.kubernetes.KubernetesSettings;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.backend.kubernetes.testnode.TestNode;
import dev.kinetic.spi.config.SettingsResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code result.latency.kubernetes}: from the function's end (its own clock reading) to {@code result()} returning
 * in the submitter, median, on the Kubernetes backend. The cluster is fabric8's mock API server
 * ({@link MockCluster}) with kinetic-kubernetes' test node ({@link TestNode}) acting as Job controller and kubelet:
 * it runs each pod's agent as a local process, and the store is a {@code file:} directory declared as shared,
 * as in kinetic-kubernetes' own tests. So the figure covers the agent writing the result, the node reporting the
 * pod and Job status through the API server, and the backend's watch waking the waiter; not a real scheduler,
 * image pull or network.
 */
final class KubernetesLatency {
    private static final String NAMESPACE = "kinetic-bench";
    /** Never pulled: the test node runs the agent from this JVM's classpath. */
    private static final String IMAGE = "registry.example.com/kinetic/runtime:bench";
    /** The mock server logs every request at INFO through java.util.logging; held so the setting stays. */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private final Path root;
    private final int runs;

    /**
     * @param root a directory of its own for the kubeconfig, the pods' working directories, the home and the store
     * @param runs how many jobs to time
     */
    KubernetesLatency(Path root, int runs) {
        this.root = root;
        this.runs = runs;
    }

    Figure measure() throws Exception {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
        Path dir = Files.createDirectories(root).toAbsolutePath();
        List<Double> latencies = new ArrayList<>();
        try (MockCluster cluster = MockCluster.start(dir);
                TestNode node =
                        TestNode.start(cluster, dir.resolve("node"), KubernetesSettings.DEFAULT_AGENT_CLASSPATH);
                KineticSession session =
                        KineticSession.open(new SettingsResolver(environment(dir, cluster)).resolve(Map.of()))) {
            for (int i = 0; i < runs; i++) {
                JobHandle<Long> job = session.remote(BenchFunctions::endTime).runAsync();
                long ended = job.result(Duration.ofMinutes(2), Cleanup.ALL);
                latencies.add((double) (System.currentTimeMillis() - ended));
            }
            if (!node.errors().isEmpty()) {
                throw new IllegalStateException("the test node had trouble: " + node.errors());
            }
        }
        return new Figure(
                "result.latency.kubernetes",
                Stats.median(latencies),
                "ms",
                "<= 1000",
                "function end to result() return on the kubernetes backend (fabric8 mock API server, test node "
                        + "running the agent as a local process, file: store), median of " + runs + ": " + latencies);
    }

    /** The settings kinetic-kubernetes' tests use (KubernetesFixture), in a home and store of its own. */
    private static Map<String, String> environment(Path dir, MockCluster cluster) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("KINETIC_")); // nothing from the user's setup leaks in
        env.put("KINETIC_HOME", dir.resolve("home").toString());
        env.put("KINETIC_STORE", dir.resolve("home/store").toUri().toString());
        env.put("KINETIC_BACKEND", "kubernetes");
        env.put("KUBECONFIG", cluster.kubeconfig().toString());
        env.put("KINETIC_CONTEXT", MockCluster.CONTEXT);
        env.put("KINETIC_NAMESPACE", NAMESPACE);
        env.put("KINETIC_IMAGE", IMAGE);
        env.put("KINETIC_SHARED_STORE_PATH", dir.toString());
        return env;
    }
}
