package dev.kinetic.cli;

import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code kinetic} command run in this JVM through {@link Main#run}, against the fabric8 mock API server: for the
 * Kubernetes commands, whose cluster lives in the test. Its own home and store under a temporary folder.
 */
final class InProcessCli {
    static final String NAMESPACE = "kinetic-test";
    static final String IMAGE = "registry.example.com/kinetic/runtime:test";

    private final Map<String, String> env = new HashMap<>();

    InProcessCli(Path tmp, MockCluster cluster) {
        System.getenv().forEach((k, v) -> {
            if (!k.startsWith("KINETIC_")) {
                env.put(k, v);
            }
        });
        env.put("KINETIC_HOME", tmp.resolve("home").toString());
        env.put("KINETIC_STORE", tmp.resolve("store").toUri().toString());
        env.put("KINETIC_BACKEND", "kubernetes");
        env.put("KUBECONFIG", cluster.kubeconfig().toString());
        env.put("KINETIC_CONTEXT", MockCluster.CONTEXT);
        env.put("KINETIC_NAMESPACE", NAMESPACE);
        env.put("KINETIC_IMAGE", IMAGE);
        env.put("KINETIC_SHARED_STORE_PATH", tmp.toString());
    }

    Map<String, String> env() {
        return env;
    }

    /** What one command line printed, and its exit code. */
    record Run(int code, String out, String err) {}

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, env, Terminal.NONE, Clock.systemUTC(), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }
}
