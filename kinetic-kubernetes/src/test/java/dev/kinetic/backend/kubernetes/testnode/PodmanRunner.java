package dev.kinetic.backend.kubernetes.testnode;

import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The container-runtime half of a {@link TestNode} in container mode: pulls the pod's image and runs its
 * container with podman, as a kubelet would with containerd. The node keeps doing the rest (pod and Job
 * status, the pod log from the container's output, garbage collection).
 */
public final class PodmanRunner {
    /** Thrown when the image cannot be pulled; the message is podman's. */
    static final class PullFailed extends Exception {
        private static final long serialVersionUID = 1L;

        PullFailed(String message) {
            super(message);
        }
    }

    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(3);

    private final Podman podman;

    public PodmanRunner(Podman podman) {
        this.podman = podman;
    }

    /** Checks the spec, pulls the image if its policy asks for it, and starts the container in the foreground. */
    Process start(PodSpec spec, String podName, Path podDir)
            throws ContainerTranslation.Untranslatable, PullFailed, IOException, InterruptedException {
        PodmanTranslation.Launch launch = PodmanTranslation.translate(spec, podName);
        if (launch.pull()
                && (launch.pullAlways()
                        || !podman.run(Duration.ofSeconds(30), "image", "exists", launch.image())
                                .ok())) {
            List<String> pull = new ArrayList<>(List.of("pull", "-q"));
            if (isLoopback(launch.image())) {
                pull.add("--tls-verify=false"); // the test registry on 127.0.0.1 speaks plain HTTP
            }
            pull.add(launch.image());
            Podman.Result r = podman.run(PULL_TIMEOUT, pull.toArray(String[]::new));
            if (!r.ok()) {
                throw new PullFailed(r.output());
            }
        }
        // stdout and stderr merged, as a pod log is; the container's directory on the node is only podman's cwd.
        return podman.command(launch.runArgs())
                .redirectErrorStream(true)
                .directory(podDir.toFile())
                .start();
    }

    /** Stops a pod's container like a kubelet: SIGTERM, then SIGKILL after the grace period. */
    void stop(String podName, long graceSeconds) throws IOException, InterruptedException {
        // An error here means the container is already gone (it ended and --rm removed it): nothing to stop.
        podman.run(
                Duration.ofSeconds(graceSeconds + 30),
                "stop",
                "--ignore",
                "--time",
                Long.toString(graceSeconds),
                PodmanTranslation.containerName(podName));
    }

    /** Removes every container this node started, running or not. */
    void removeAll() {
        try {
            podman.run(Duration.ofSeconds(60), "rm", "--force", "--all");
        } catch (IOException e) {
            // the podman directory is deleted with the test's temp directory anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isLoopback(String image) {
        return image.startsWith("127.0.0.1:") || image.startsWith("localhost:") || image.startsWith("localhost/");
    }
}
