package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.testing.SubmitWithKey;
import dev.kinetic.testing.TestKinetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code idempotencyKey}: one key, one job, however many submissions, from one JVM or several racing ones. */
class IdempotentSubmitTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    TestKinetic kinetic;
    KineticSession session;

    @BeforeEach
    void open() throws Exception {
        kinetic = new TestKinetic(tmp);
        session = kinetic.session();
    }

    @AfterEach
    void close() {
        session.close();
    }

    @Test
    void aSecondSubmissionWithTheKeyReturnsTheFirstJobEvenAfterItEnded() {
        JobHandle<Integer> first =
                session.remote(() -> 6 * 7).idempotencyKey("train-run-1").runAsync();
        JobHandle<Integer> again =
                session.remote(() -> 6 * 7).idempotencyKey("train-run-1").runAsync();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(first.result(WAIT, Cleanup.NONE)).isEqualTo(42);
        JobHandle<Integer> afterEnd =
                session.remote(() -> 6 * 7).idempotencyKey("train-run-1").runAsync();
        assertThat(afterEnd.id()).isEqualTo(first.id());
        assertThat(afterEnd.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(session.listJobs()).hasSize(1);

        JobHandle<Integer> other =
                session.remote(() -> 1).idempotencyKey("train-run-2").runAsync();
        assertThat(other.id()).isNotEqualTo(first.id());
        other.result(WAIT, Cleanup.NONE);
    }

    @Test
    void onceTheJobIsCleanedUpTheKeyStartsANewOne() {
        JobHandle<Integer> first =
                session.remote(() -> 1).idempotencyKey("nightly.2026-11-30").runAsync();
        assertThat(first.result(WAIT)).isEqualTo(1); // result() cleans up a succeeded job
        assertThat(first.status()).isEqualTo(JobStatus.NOT_FOUND);
        long t0 = System.nanoTime();
        JobHandle<Integer> second =
                session.remote(() -> 2).idempotencyKey("nightly.2026-11-30").runAsync();
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("the cleaned-up job released its key")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(second.result(WAIT, Cleanup.NONE)).isEqualTo(2);
    }

    @Test
    void twoJvmsRacingOnOneKeyGetOneJob() throws Exception {
        List<Process> submitters = new ArrayList<>();
        Path start = tmp.resolve("start");
        for (int i = 0; i < 2; i++) {
            ProcessBuilder pb = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    SubmitWithKey.class.getName(),
                    "ci-step-4711",
                    start.toString());
            pb.environment().clear();
            pb.environment().putAll(kinetic.environment());
            pb.redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("submitter-" + i + ".log").toFile());
            submitters.add(pb.start());
        }
        Thread.sleep(2_000); // both JVMs up and polling for the start file
        Files.createFile(start);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            assertThat(submitters.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(tmp.resolve("submitter-" + i + ".log"));
            assertThat(out).as("submitter %d", i).contains("JOB ");
            ids.add(out.substring(out.indexOf("JOB ") + 4).trim().split("\\s")[0]);
        }
        assertThat(ids.get(1)).isEqualTo(ids.get(0));
        assertThat(session.listJobs()).extracting(JobInfo::id).containsExactly(ids.get(0));
        assertThat(session.attach(ids.get(0), Integer.class).result(WAIT, Cleanup.NONE))
                .isEqualTo(7);
    }

    @Test
    void aKeyThatIsNotASafeNameIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> session.remote(() -> 1).idempotencyKey("../../jobs/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid idempotency key '../../jobs/x'")
                .hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> session.remote(() -> 1).idempotencyKey(""))
                .hasMessageContaining("invalid idempotency key ''");
        assertThat(session.listJobs()).isEmpty();
    }

    @Test
    void aBatchRefusesAKeyInsteadOfIgnoringIt() {
        assertThatThrownBy(() -> session.remote((Integer x) -> x + 1)
                        .idempotencyKey("sweep-1")
                        .runAsyncMap(List.of(1, 2, 3)))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("idempotencyKey")
                .hasMessageContaining("attachBatch");
        assertThat(session.listJobs()).isEmpty();
    }
}
