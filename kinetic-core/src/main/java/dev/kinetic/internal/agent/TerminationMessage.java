package dev.kinetic.internal.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The agent's last words: one line saying how the job ended, or why the agent could not record it (the store
 * refused the outcome). On Kubernetes the backend points {@value #PATH_ENV} at the container's
 * {@code terminationMessagePath}; the kubelet then keeps the line in the pod's status
 * ({@code state.terminated.message}) for as long as the Job exists, after the pod log is gone, and status reads it
 * when the store has no outcome. Locally the variable is unset and nothing is written.
 */
final class TerminationMessage {
    /** Where to write the last words; set by the backend, unset locally. */
    static final String PATH_ENV = "KINETIC_TERMINATION_MESSAGE_PATH";
    /** The kubelet keeps at most 4096 bytes of a container's termination message. */
    static final int MAX_BYTES = 4096;

    private TerminationMessage() {}

    /** Writes {@code words} as one line, cut to {@link #MAX_BYTES}; never throws (these are the agent's last acts). */
    static void write(Map<String, String> environment, String words) {
        String path = environment.get(PATH_ENV);
        if (path == null || path.isEmpty() || words == null) {
            return;
        }
        String line = words.replace('\r', ' ').replace('\n', ' ').trim();
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            line = new String(bytes, 0, MAX_BYTES - 3, StandardCharsets.UTF_8);
            line = line.substring(0, Math.max(0, line.length() - 1)) + "...";
            bytes = line.getBytes(StandardCharsets.UTF_8);
        }
        try {
            Files.write(Path.of(path), bytes);
        } catch (IOException | RuntimeException e) {
            System.err.println("kinetic agent: could not write the termination message to " + path + ": " + e);
        }
    }
}
