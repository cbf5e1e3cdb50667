package dev.kinetic.cli;

import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** {@code --timeout SECONDS} for the commands that wait for results: shared by {@code jobs result} and {@code batches results}. */
final class TimeoutOption {
    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Give up after this many seconds (exit 124; nothing is stopped, the jobs keep running); "
                    + "default: wait as long as it takes.")
    Long seconds;

    /**
     * The wait, or {@code null} to wait as long as it takes.
     *
     * @param usage makes the usage error (exit 2) for a negative value
     */
    Duration timeout(Function<String, ? extends RuntimeException> usage) {
        if (seconds == null) {
            return null;
        }
        if (seconds < 0) {
            throw usage.apply("--timeout must be 0 or more seconds, got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}
