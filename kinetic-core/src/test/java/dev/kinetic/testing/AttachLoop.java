package dev.kinetic.testing;

import dev.kinetic.JobStatus;
import dev.kinetic.Kinetic;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A JVM that attaches to one job many times through the static entry points, as a service polling a job would, and
 * prints its thread count and open file descriptors after a warm-up and at the end:
 * {@code LEAK threads <warm> <end> fds <warm> <end> status <status>}. Settings come from the environment.
 */
public final class AttachLoop {
    private AttachLoop() {}

    public static void main(String[] args) throws Exception {
        String id = args[0];
        int count = Integer.parseInt(args[1]);
        int warmUp = Math.min(20, count);
        JobStatus last = null;
        for (int i = 0; i < warmUp; i++) {
            last = Kinetic.attach(id).status();
        }
        int threads = threads();
        long fds = fds();
        for (int i = warmUp; i < count; i++) {
            last = Kinetic.attach(id).status();
        }
        System.out.println(
                "LEAK threads " + threads + " " + threads() + " fds " + fds + " " + fds() + " status " + last);
        System.out.flush();
        System.exit(0);
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long fds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
