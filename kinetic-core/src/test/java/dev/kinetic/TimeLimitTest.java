package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.JobHandle.OutputFile;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.Json;
import dev.kinetic.testing.LimitJobs;
import dev.kinetic.testing.TestKinetic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code timeout(Duration)}: a job's time limit on the local backend (issue 19). */
class TimeLimitTest {
    @TempDir
    Path tmp;

    TestKinetic kinetic;
    KineticSession session;

    @BeforeEach
    void setUp() throws Exception {
        kinetic = new TestKinetic(tmp);
        session = kinetic.session();
    }

    @AfterEach
    void tearDown() {
        session.close();
    }

    @Test
    void aBatchRefusesATimeLimitItCouldNotEnforce() {
        assertThatThrownBy(() -> session.remote((Integer i) -> i + 1)
                        .timeout(Duration.ofMinutes(5))
                        .runAsyncMap(List.of(1, 2)))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("timeout PT5M applies to runAsync, not to runAsyncMap")
                .hasMessageContaining("BatchHandle.cancel()");
        assertThat(kinetic.storeDir().resolve("groups")).as("nothing stored").doesNotExist();
    }

    @Test
    void aJobPastItsLimitFailsTimedOutWithItsProcessTreeStoppedAndItsCheckpointKept() throws Exception {
        JobHandle<Integer> job = session.remote(() -> LimitJobs.checkpointThenSleep(60))
                .timeout(Duration.ofSeconds(3))
                .runAsync();
        assertThat(job.toJson()).contains("\"timeout\" : \"PT3S\"");
        List<String> lines = awaitLines(job, "agent-pid", Duration.ofSeconds(60));
        long task = pid(lines, "task-pid");
        long child = pid(lines, "child-pid");
        long agent = pid(lines, "agent-pid");

        assertThatThrownBy(() -> job.result(Duration.ofSeconds(60)))
                .isInstanceOf(JobFailedException.class)
                .satisfies(e -> assertThat(((JobFailedException) e).reason()).isEqualTo("timed out after PT3S"));
        Instant seenFailed = Instant.now();
        JobInfo info = job.describe();
        assertThat(info.status()).isEqualTo(JobStatus.FAILED);
        assertThat(info.reason()).isEqualTo("timed out after PT3S");
        Duration ran = Duration.between(info.startedAt(), info.endedAt());
        assertThat(ran)
                .as("counted from the start, ended within 5 s of the limit")
                .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(8));
        assertThat(Duration.between(info.startedAt(), seenFailed))
                .as("status reads FAILED within 5 s of the limit")
                .isLessThan(Duration.ofSeconds(8));

        assertThat(ProcessHandle.of(task).filter(ProcessHandle::isAlive))
                .as("the task")
                .isEmpty();
        assertThat(ProcessHandle.of(child).filter(ProcessHandle::isAlive))
                .as("the task's child")
                .isEmpty();
        awaitDead(agent);
        assertThat(job.outputs()).extracting(OutputFile::path).contains("checkpoint-1.txt");
        assertThat(session.outputs(job.id())).extracting(OutputFile::size).contains(6L);
    }

    @Test
    void aJobWithinItsLimitSucceedsAndTheLimitCountsFromTheStartNotTheSubmission() throws Exception {
        kinetic.environment().put("KINETIC_LOCAL_SLOTS", "1");
        try (KineticSession oneSlot = kinetic.session()) {
            JobHandle<Integer> first = oneSlot.remote(() -> {
                        Thread.sleep(5000);
                        return 1;
                    })
                    .runAsync();
            // The function form takes a limit too. This job waits for the one slot longer than its limit, then runs
            // 1.5 s of it: it succeeds, since the limit counts from when it starts.
            JobHandle<Integer> limited = oneSlot.remote((Integer x) -> {
                        Thread.sleep(1500);
                        return x * 2;
                    })
                    .timeout(Duration.ofSeconds(3))
                    .runAsync(21);
            assertThat(limited.toJson()).contains("\"timeout\" : \"PT3S\"");
            assertThat(limited.result(Duration.ofSeconds(120), Cleanup.NONE)).isEqualTo(42);
            JobInfo info = limited.describe();
            assertThat(Duration.between(info.createdAt(), info.startedAt()))
                    .as("it waited for the slot longer than its limit")
                    .isGreaterThan(Duration.ofSeconds(3));
            assertThat(first.result(Duration.ofSeconds(60))).isEqualTo(1);
        }
    }

    @Test
    void theLimitIsStoredReadableAndTravelsToTheAgent() throws Exception {
        JobOptions options =
                JobOptions.builder().timeout(Duration.ofMinutes(90)).build();
        String json = Json.MAPPER.writeValueAsString(options);
        assertThat(json).contains("\"timeout\":\"PT1H30M\"");
        assertThat(Json.MAPPER.readValue(json, JobOptions.class).timeout()).isEqualTo(Duration.ofMinutes(90));
        // Options stored before time limits existed (a batch manifest) read as no limit.
        String old = json.replace(",\"timeout\":\"PT1H30M\"", "");
        assertThat(old).doesNotContain("timeout");
        assertThat(Json.MAPPER.readValue(old, JobOptions.class).timeout()).isNull();

        JobRecord record = JobRecord.builder()
                .id(JobId.of("cpu-f-20261201-120000-abcdef0"))
                .payload(new JobRecord.Artifact("ab", 1, "payload.bin"))
                .backend("local")
                .store("file:/tmp/store")
                .timeout(Duration.ofMillis(2500))
                .build();
        JobRecord read = JobRecord.fromJson(record.toJson(), "test");
        assertThat(read.timeout()).isEqualTo(Duration.ofMillis(2500));
        String withoutLimit =
                new String(record.toBuilder().timeout(null).build().toJson(), StandardCharsets.UTF_8);
        assertThat(JobRecord.fromJson(withoutLimit.getBytes(StandardCharsets.UTF_8), "old")
                        .timeout())
                .isNull();

        AgentCommand command = AgentCommand.forRecord(read);
        assertThat(command.arguments()).containsSequence("--timeout-ms", "2500");
        assertThat(AgentCommand.parse(command.arguments().toArray(new String[0]))
                        .timeoutMillis())
                .isEqualTo(2500);
        assertThat(AgentCommand.forRecord(record.toBuilder().timeout(null).build())
                        .arguments())
                .doesNotContain("--timeout-ms");
        assertThatThrownBy(() -> AgentCommand.parse(new String[] {"--timeout-ms", "-5"}))
                .hasMessageContaining("--timeout-ms")
                .hasMessageContaining("-5");
    }

    @Test
    void aLimitOfZeroOrLessIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> session.remote(() -> 1).timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S")
                .hasMessageContaining("leave it unset");
        assertThatThrownBy(() -> JobOptions.builder().timeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("PT-1S");
    }

    private static List<String> awaitLines(JobHandle<?> job, String marker, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            List<String> lines = job.logs();
            if (lines.stream().anyMatch(l -> l.startsWith(marker))) {
                return lines;
            }
            assertThat(System.nanoTime())
                    .as("waiting for '%s' in the log of %s", marker, job.id())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static long pid(List<String> lines, String name) {
        Optional<String> line =
                lines.stream().filter(l -> l.startsWith(name + " ")).findFirst();
        assertThat(line).as(name).isPresent();
        return Long.parseLong(line.get().substring(name.length() + 1).trim());
    }

    private static void awaitDead(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()) {
            assertThat(System.nanoTime()).as("agent %s exits", pid).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
