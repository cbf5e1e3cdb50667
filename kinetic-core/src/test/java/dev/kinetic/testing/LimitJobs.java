package dev.kinetic.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Jobs for the tests of time limits and local slots (issue 19); static methods so lambdas capture nothing. */
public final class LimitJobs {
    private LimitJobs() {}

    /**
     * Writes {@code checkpoint-1.txt} into {@code KINETIC_OUTPUT_DIR}, starts a child process that sleeps as long (so
     * a test sees whether the whole process tree is stopped), prints {@code task-pid}, {@code child-pid} and
     * {@code agent-pid}, then sleeps {@code seconds}.
     */
    public static int checkpointThenSleep(int seconds) throws IOException, InterruptedException {
        Path out = Path.of(System.getenv("KINETIC_OUTPUT_DIR"));
        Files.writeString(out.resolve("checkpoint-1.txt"), "step 1");
        Process child = new ProcessBuilder("sleep", String.valueOf(seconds)).start();
        ProcessHandle self = ProcessHandle.current();
        System.out.println("task-pid " + self.pid());
        System.out.println("child-pid " + child.pid());
        System.out.println("agent-pid " + self.parent().map(ProcessHandle::pid).orElse(-1L));
        Thread.sleep(seconds * 1000L);
        return 0;
    }

    /**
     * Records when it ran into {@code dir} ({@code <name>.start} and {@code <name>.end}, epoch milliseconds, each
     * written atomically), sleeping {@code millis} in between; returns {@code name}.
     */
    public static String recordRun(String dir, String name, long millis) throws IOException, InterruptedException {
        Path d = Path.of(dir);
        stamp(d, name + ".start");
        Thread.sleep(millis);
        stamp(d, name + ".end");
        return name;
    }

    /**
     * Records its start into {@code dir} ({@code <name>.start}), then sleeps two minutes; stopped (SIGTERM), it takes
     * {@code stopMillis} to stop and records {@code <name>.end} just before it exits.
     */
    public static String slowToStop(String dir, String name, long stopMillis) throws IOException, InterruptedException {
        Path d = Path.of(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(stopMillis);
                stamp(d, name + ".end");
            } catch (IOException | InterruptedException e) {
                // the test then finds no end stamp and fails
            }
        }));
        stamp(d, name + ".start");
        Thread.sleep(120_000);
        return name;
    }

    private static void stamp(Path dir, String file) throws IOException {
        Path tmp = dir.resolve(file + ".tmp");
        Files.writeString(tmp, String.valueOf(System.currentTimeMillis()));
        Files.move(tmp, dir.resolve(file), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
