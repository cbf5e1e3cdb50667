package dev.kinetic.internal.agent;

import java.io.File;
import java.util.Map;

/**
 * What the backend tells a job's agent, and a batch's worker, through their own environment about the task and the
 * pod: the directories to put in front of the task's {@code PATH}, and the pod's termination grace period. Shared by
 * both, so a batch's inputs run with what a single job's task gets.
 */
public final class TaskEnvironment {
    /** The pod's termination grace period in seconds, when a backend sets one (Kubernetes: 60 by default). */
    static final String GRACE_PERIOD_ENV = "KINETIC_TERMINATION_GRACE_PERIOD";
    /** Directories to put in front of the task's PATH (Kubernetes GPU jobs: the NVIDIA driver's binaries). */
    static final String TASK_PATH_PREFIX_ENV = "KINETIC_TASK_PATH_PREFIX";

    private TaskEnvironment() {}

    /**
     * Puts {@value #TASK_PATH_PREFIX_ENV} of {@code own} in front of the task's {@code PATH} (the task's own if set,
     * else {@code own}'s): setting {@code PATH} in a pod spec would replace the image's, where {@code java} is found.
     */
    public static void prependPath(Map<String, String> task, Map<String, String> own) {
        String prefix = own.get(TASK_PATH_PREFIX_ENV);
        if (prefix != null && !prefix.isEmpty()) {
            String path = task.containsKey("PATH") ? task.get("PATH") : own.get("PATH");
            task.put("PATH", path == null || path.isEmpty() ? prefix : prefix + File.pathSeparator + path);
        }
    }

    /** The grace period {@code own} names in milliseconds, or 0 when none is set (or it is not whole seconds). */
    public static long gracePeriodMillis(Map<String, String> own) {
        String raw = own.get(GRACE_PERIOD_ENV);
        if (raw == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(raw.trim())) * 1000;
        } catch (NumberFormatException e) {
            System.err.println("kinetic: ignoring " + GRACE_PERIOD_ENV + "=" + raw + " (not whole seconds)");
            return 0;
        }
    }
}
