package dev.kinetic.testing;

import dev.kinetic.KineticSession;

/**
 * A submitting JVM that submits {@code args[1]} jobs running {@link LimitJobs#recordRun} (into directory
 * {@code args[0]}, {@code args[2]} ms each, named run-0, run-1, ...), prints {@code JOB <id>} for each, and exits at
 * once: whatever waits for a local slot must then wait without it.
 */
public final class SubmitRunsAndExit {
    private SubmitRunsAndExit() {}

    public static void main(String[] args) {
        String dir = args[0];
        int count = Integer.parseInt(args[1]);
        long millis = Long.parseLong(args[2]);
        try (KineticSession session = KineticSession.fromEnvironment()) {
            for (int i = 0; i < count; i++) {
                String name = "run-" + i;
                String id = session.remote(() -> LimitJobs.recordRun(dir, name, millis))
                        .displayName("slot")
                        .runAsync()
                        .id();
                System.out.println("JOB " + id);
            }
        }
        System.out.flush();
    }
}
