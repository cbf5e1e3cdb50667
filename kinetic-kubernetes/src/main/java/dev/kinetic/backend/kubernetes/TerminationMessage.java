package dev.kinetic.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;

/**
 * The agent's last words travel in the container's termination message: the agent writes one line (how the job
 * ended, or why it could not store the outcome) to the file the container spec names, and the kubelet keeps it in
 * the pod's {@code state.terminated.message} for as long as the Job exists. With {@code FallbackToLogsOnError}, a
 * container that failed without writing it gets the end of its log instead. So a job whose agent could not write
 * to the store still says why, after the pod log is gone.
 */
final class TerminationMessage {
    /** Kubernetes' default path, named explicitly so the agent's variable and the spec agree. */
    static final String PATH = "/dev/termination-log";

    static final String POLICY = "FallbackToLogsOnError";
    /** The agent reads the path from this variable (locally it is unset, and nothing is written). */
    static final String PATH_ENV = "KINETIC_TERMINATION_MESSAGE_PATH";

    private TerminationMessage() {}

    /** Sets the path, the policy and the agent's variable on the agent's container. */
    static ContainerBuilder configure(ContainerBuilder container) {
        return container
                .withTerminationMessagePath(PATH)
                .withTerminationMessagePolicy(POLICY)
                .addNewEnv()
                .withName(PATH_ENV)
                .withValue(PATH)
                .endEnv();
    }

    /**
     * The last words of a terminated container: its message's last non-blank line (a log tail under
     * {@code FallbackToLogsOnError} has many; the agent's own message has one), or null.
     */
    static String lastWords(ContainerStateTerminated terminated) {
        String message = terminated == null ? null : terminated.getMessage();
        if (message == null || message.isBlank()) {
            return null;
        }
        String last = null;
        for (String line : message.split("\n")) {
            if (!line.isBlank()) {
                last = line.trim();
            }
        }
        return last;
    }
}
