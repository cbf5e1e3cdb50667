package dev.kinetic.backend.kubernetes.testnode;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * A Kubernetes API for tests: fabric8's mock server in CRUD mode over plain HTTP on 127.0.0.1, with the pod log
 * API served from {@link PodLogs}, and a kubeconfig that points at it. Start it, use it, close it.
 * <pre>{@code
 * try (MockCluster cluster = MockCluster.start(tmp)) { ... cluster.kubeconfig() ... }
 * }</pre>
 */
public final class MockCluster implements AutoCloseable {
    /** The context in the kubeconfig that points at the mock; the current context points elsewhere. */
    public static final String CONTEXT = "kinetic-mock";

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final PodLogs logs;
    private final Path kubeconfig;

    private MockCluster(KubernetesMockServer server, PodLogs logs, Path kubeconfig) {
        this.server = server;
        this.client = server.createClient();
        this.logs = logs;
        this.kubeconfig = kubeconfig;
    }

    public static MockCluster start(Path dir) throws IOException {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        PodLogs logs = new PodLogs();
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()),
                new MockWebServer(),
                responses,
                new LogAwareDispatcher(responses, logs),
                false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        Path kubeconfig = dir.resolve("kubeconfig");
        // The current context points at nothing reachable: the tests prove the explicit context is used, and
        // that the file is never rewritten.
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                current-context: somewhere-else
                clusters:
                - name: mock
                  cluster:
                    server: http://127.0.0.1:%d
                - name: unreachable
                  cluster:
                    server: http://127.0.0.1:1
                users:
                - name: tester
                  user:
                    token: test-token
                contexts:
                - name: %s
                  context:
                    cluster: mock
                    user: tester
                - name: somewhere-else
                  context:
                    cluster: unreachable
                    user: tester
                """.formatted(server.getPort(), CONTEXT));
        return new MockCluster(server, logs, kubeconfig);
    }

    /** A client for the test itself (assertions, the test node). */
    public KubernetesClient client() {
        return client;
    }

    public KubernetesMockServer server() {
        return server;
    }

    public PodLogs logs() {
        return logs;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
