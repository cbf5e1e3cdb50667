package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.testing.CollectResult;
import dev.kinetic.testing.Jobs;
import dev.kinetic.testing.TestKinetic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes call result() on one job at once: both get the value, or one a clear "already collected". */
@Tag("faults")
class ConcurrentResultTest {
    @TempDir
    Path tmp;

    @Test
    void twoCollectorsEitherBothGetTheValueOrOneIsToldItWasCollected() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        for (int round = 0; round < 3; round++) {
            try (KineticSession session = kinetic.session()) {
                // Long enough that the other JVM has attached (by id) before either collector can clean up.
                JobHandle<Integer> job =
                        session.remote(() -> Jobs.sleepThen(4000, 99)).runAsync();
                ProcessBuilder b = new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java")
                                        .toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                CollectResult.class.getName(),
                                job.id())
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
                b.environment().putAll(kinetic.environment());
                Process other = b.start();
                String mine;
                try {
                    mine = "VALUE " + job.result(Duration.ofSeconds(60));
                } catch (KineticException e) {
                    mine = "ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String theirs = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

                assertThat(java.util.List.of(mine, theirs)).contains("VALUE 99");
                for (String outcome : java.util.List.of(mine, theirs)) {
                    assertThat(outcome)
                            .satisfiesAnyOf(
                                    o -> assertThat(o).isEqualTo("VALUE 99"),
                                    o -> assertThat(o).containsAnyOf("already collected", "was already collected"));
                }
            }
        }
    }
}
