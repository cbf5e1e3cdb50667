package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.JobRecord;
import java.time.Duration;

/**
 * A job's time limit ({@code JobOptions.timeout}) as the Job's {@code activeDeadlineSeconds}. The agent enforces the
 * limit itself from the moment its task starts, and records "timed out after PT…"; the Job's deadline is the backstop
 * for an agent that cannot (stuck before its task starts, or hung). Kubernetes counts the deadline from the Job's
 * start, pending time included, and across retries, while the limit counts from when the task starts running: so each
 * attempt gets the limit plus {@link #STARTUP_ALLOWANCE} to be scheduled (a node pool may have to scale up), pull the
 * image and download the job. An explicit {@code active-deadline} setting still applies when it is shorter.
 */
final class ActiveDeadline {
    /** Per attempt, on top of the time limit: scheduling, node scale-up, image pull, the agent's download. */
    static final Duration STARTUP_ALLOWANCE = Duration.ofMinutes(10);

    private ActiveDeadline() {}

    /** The Job's {@code activeDeadlineSeconds}, or null for none. */
    static Long seconds(KubernetesSettings settings, JobRecord record) {
        Duration limit = record.timeout();
        if (limit == null) {
            return settings.activeDeadlineSeconds();
        }
        long limitSeconds = (limit.toMillis() + 999) / 1000;
        long forJob = (limitSeconds + STARTUP_ALLOWANCE.toSeconds()) * (record.retries() + 1L);
        Long explicit = settings.activeDeadlineSeconds();
        return explicit == null ? forJob : Math.min(explicit, forJob);
    }

    /**
     * Why a Job that exceeded its deadline ended, when the job had a time limit (its annotation), else null: the
     * agent could not stop it at the limit, so the backend says it instead.
     */
    static String timedOut(String limitAnnotation, Long deadlineSeconds) {
        if (limitAnnotation == null) {
            return null;
        }
        return "timed out after " + limitAnnotation
                + " (DeadlineExceeded: the Job ran longer than its active deadline, "
                + deadlineSeconds + " s, which allows " + STARTUP_ALLOWANCE.toMinutes()
                + " min per attempt to start)";
    }
}
