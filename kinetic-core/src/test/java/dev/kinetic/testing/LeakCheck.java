package dev.kinetic.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@link AttachLoop} in a fresh JVM with {@code environment} and checks that nothing grew with the calls. */
public final class LeakCheck {
    /** Threads or descriptors a JVM may add after the warm-up for reasons of its own (a GC or JIT thread, a log file). */
    public static final int SLACK = 8;

    private static final Pattern LINE = Pattern.compile("LEAK threads (\\d+) (\\d+) fds (\\d+) (\\d+) status (\\w+)");

    private LeakCheck() {}

    /** The result line's numbers: threads after warm-up and at the end, fds likewise, and the last status. */
    public record Growth(int threadsWarm, int threadsEnd, long fdsWarm, long fdsEnd, String status) {}

    public static Growth attachRepeatedly(String jobId, int count, Map<String, String> environment, Path log)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AttachLoop.class.getName(),
                jobId,
                String.valueOf(count)));
        pb.environment().clear();
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES))
                .as("the attach loop finished")
                .isTrue();
        String out = Files.readString(log);
        Matcher m = LINE.matcher(out);
        assertThat(m.find()).as("attach loop output:\n%s", out).isTrue();
        Growth g = new Growth(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)),
                m.group(5));
        System.out.println("attach x" + count + ": " + g);
        assertThat(g.threadsEnd() - g.threadsWarm())
                .as("threads grown over %d attaches: %s", count, g)
                .isLessThanOrEqualTo(SLACK);
        assertThat(g.fdsEnd() - g.fdsWarm())
                .as("file descriptors grown over %d attaches: %s", count, g)
                .isLessThanOrEqualTo(SLACK);
        return g;
    }
}
