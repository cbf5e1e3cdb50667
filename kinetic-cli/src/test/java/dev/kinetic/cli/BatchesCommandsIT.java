package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.BatchHandle;
import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.BatchOptions;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.RemoteFunctionJob;
import dev.kinetic.cli.fixtures.BatchInputs;
import dev.kinetic.spi.config.SettingsResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code kinetic batches} subcommand, run as real processes against batches that this JVM starts with the
 * library (as a program would), in the same store. The batches are started once, up front, so their jobs run
 * while the first tests do; each test but the read-only ones works on a batch of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchesCommandsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private KineticCli cli;
    private KineticSession kinetic;
    /** Inputs 1, -2, 3: the second fails. */
    private BatchHandle<Integer> mixed;
    /** Inputs 4000 (sleeps 4 s), 1, 2, one at a time, one retry; its worker is killed while input 0 runs. */
    private BatchHandle<Integer> orphaned;
    /** Inputs 60000 (sleeps a minute), 1, one at a time: cancelled by a test. */
    private BatchHandle<Integer> sleeping;

    @BeforeAll
    void startBatches(@TempDir Path root) throws Exception {
        cli = new KineticCli(root);
        kinetic = KineticSession.open(new SettingsResolver(cli.environment()).resolve(Map.of()));
        RemoteFunctionJob<Integer, Integer> timesTen = kinetic.remote((Integer i) -> BatchInputs.timesTen(i));
        BatchOptions oneAtATime = BatchOptions.builder().maxConcurrent(1).build();
        mixed = timesTen.runAsyncMap(List.of(1, -2, 3));
        orphaned = timesTen.runAsyncMap(
                List.of(4000, 1, 2),
                BatchOptions.builder().maxConcurrent(1).retries(1).build());
        sleeping = timesTen.runAsyncMap(List.of(60000, 1), oneAtATime);
        await(orphaned, c -> c.count(JobStatus.RUNNING) == 1);
        killWorkers(orphaned);
    }

    @AfterAll
    void stopBatches() {
        if (kinetic != null) {
            for (BatchHandle<Integer> b : List.of(mixed, orphaned, sleeping)) {
                try {
                    b.cancel();
                    b.cleanup(dev.kinetic.Cleanup.ALL);
                } catch (RuntimeException ignored) {
                    // already cleaned up by its test
                }
            }
            kinetic.close();
        }
    }

    @Test
    void resultsComeInInputOrderWithFailuresInPlaceAndExit1() {
        CliResult json = cli.run("batches", "results", mixed.id(), "--timeout", "60", "-o", "json")
                .assertExit(ExitCodes.FAILED);
        JsonNode values = json.json();
        assertThat(values).hasSize(3);
        assertThat(values.get(0).asInt()).isEqualTo(10);
        assertThat(values.get(2).asInt()).isEqualTo(30);
        assertThat(fieldNames(values.get(1))).containsExactly("error", "message");
        assertThat(values.get(1).get("error").asText()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(values.get(1).get("message").asText()).isEqualTo("bad input -2");
        assertThat(json.err())
                .contains("1 of 3 inputs failed (indices [1])")
                .contains("input 1 (job ")
                .contains("bad input -2")
                .contains("kinetic jobs logs ");

        CliResult table = cli.run("batches", "results", mixed.id()).assertExit(ExitCodes.FAILED);
        assertThat(table.outLines()).hasSize(4);
        assertThat(table.outLines().get(0)).matches("INDEX\\s+STATUS\\s+VALUE");
        assertThat(table.outLines().get(1)).matches("0\\s+SUCCEEDED\\s+10");
        assertThat(table.outLines().get(2)).matches("1\\s+FAILED\\s+java.lang.IllegalArgumentException: bad input -2");
        assertThat(table.outLines().get(3)).matches("2\\s+SUCCEEDED\\s+30");
    }

    @Test
    void statusAndListCountInputsByStatus() {
        await(mixed, BatchCounts::done);
        JsonNode status = cli.run("batches", "status", mixed.id(), "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(fieldNames(status))
                .containsExactly(
                        "id",
                        "size",
                        "notSubmitted",
                        "counts",
                        "done",
                        "workersAlive",
                        "queued",
                        "running",
                        "finished");
        assertThat(status.get("finished").asInt()).isEqualTo(3);
        assertThat(status.get("queued").asInt()).isZero();
        assertThat(status.get("running").asInt()).isZero();
        assertThat(status.get("id").asText()).isEqualTo(mixed.id());
        assertThat(status.get("size").asInt()).isEqualTo(3);
        assertThat(status.get("notSubmitted").asInt()).isZero();
        assertThat(status.get("counts").get("SUCCEEDED").asInt()).isEqualTo(2);
        assertThat(status.get("counts").get("FAILED").asInt()).isEqualTo(1);
        assertThat(status.get("counts").get("RUNNING").asInt()).isZero();
        assertThat(status.get("done").asBoolean()).isTrue();

        CliResult table = cli.run("batches", "status", mixed.id()).assertExit(ExitCodes.OK);
        assertThat(table.out())
                .containsPattern("not submitted\\s+0")
                .containsPattern("SUCCEEDED\\s+2")
                .containsPattern("FAILED\\s+1")
                .containsPattern("workers alive\\s+\\d")
                .containsPattern("queued\\s+0")
                .containsPattern("finished\\s+3")
                .doesNotContain("\u001B[");

        // Piped, --watch prints a plain line when a count changes and ends once the batch is done.
        CliResult watched = cli.run("batches", "status", mixed.id(), "--watch").assertExit(ExitCodes.OK);
        assertThat(watched.outLines()).hasSize(1);
        assertThat(watched.outLines().get(0))
                .contains(mixed.id())
                .contains("3/3 done · 1 failed · 0 running · 0 queued")
                .doesNotContain("\r")
                .doesNotContain("[#");

        List<String> ids = cli.run("batches", "list").assertExit(ExitCodes.OK).outLines();
        assertThat(ids).contains(mixed.id()).allMatch(id -> id.matches("grp-[0-9a-f]{8}"));
        JsonNode listed = null;
        for (JsonNode b : cli.run("batches", "list", "-o", "json")
                .assertExit(ExitCodes.OK)
                .json()) {
            if (b.get("id").asText().equals(mixed.id())) {
                listed = b;
            }
        }
        assertThat(listed).isEqualTo(status);
    }

    @Test
    void resumeStartsWorkersForABatchWhoseWorkersWereKilledThenCleanupRemovesTheBatch() {
        String id = orphaned.id();
        JsonNode before = cli.run("batches", "status", id, "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(before.get("notSubmitted").asInt()).isEqualTo(2);
        assertThat(before.get("queued").asInt()).isEqualTo(3); // input 0 lost its worker: it runs again
        assertThat(before.get("workersAlive").asInt()).isZero();
        CliResult stuck = cli.run("batches", "results", id, "--timeout", "60").assertExit(ExitCodes.FAILED);
        assertThat(stuck.err()).contains("no worker will take them").contains("kinetic batches resume " + id);

        JsonNode resumed = cli.run("batches", "resume", id, "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(resumed.get("pending").asInt()).isEqualTo(3);
        assertThat(resumed.get("workersAlive").asInt()).isEqualTo(1);

        JsonNode values = cli.run("batches", "results", id, "--timeout", "80", "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(values.toString()).isEqualTo("[4000,10,20]");

        CliResult again = cli.run("batches", "resume", id).assertExit(ExitCodes.OK);
        assertThat(again.out()).isEmpty();
        assertThat(again.err()).contains("nothing to resume");

        JsonNode cleaned = cli.run("batches", "cleanup", id, "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(cleaned.get("jobs").asInt()).isEqualTo(3);
        assertThat(cleaned.get("cancelled").asBoolean()).isFalse();
        assertThat(cleaned.get("backend").asBoolean()).isTrue();
        assertThat(cleaned.get("store").asBoolean()).isTrue();
        CliResult gone = cli.run("batches", "status", id).assertExit(ExitCodes.NOT_FOUND);
        assertThat(gone.err()).contains(id).contains("kinetic batches list");
    }

    @Test
    void cancelStopsRunningAndUnsubmittedInputsThenResultsExit4() {
        String id = sleeping.id();
        await(sleeping, c -> c.count(JobStatus.RUNNING) == 1);
        CliResult table = cli.run("batches", "cancel", id).assertExit(ExitCodes.OK);
        assertThat(table.out().trim())
                .isEqualTo("cancelled " + id + ": stopped 1 pending or running job; 1 input "
                        + "without a job will not be submitted");
        JsonNode cancel = cli.run("batches", "cancel", id, "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(cancel.get("cancelled").asBoolean()).isTrue();
        assertThat(cancel.get("notSubmitted").asInt()).isEqualTo(1);
        assertThat(cancel.get("counts").get("CANCELLED").asInt()).isEqualTo(1);

        CliResult results = cli.run("batches", "results", id, "--timeout", "30", "-o", "json")
                .assertExit(ExitCodes.CANCELLED);
        JsonNode values = results.json();
        assertThat(values.get(0).get("error").asText()).isEqualTo("dev.kinetic.JobCancelledException");
        assertThat(values.get(1).get("message").asText()).contains("never submitted");
        assertThat(results.err()).contains("2 of 2 inputs were cancelled (indices [0, 1])");

        await(mixed, BatchCounts::done);
        CliResult ended = cli.run("batches", "cancel", mixed.id()).assertExit(ExitCodes.OK);
        assertThat(ended.out()).isEmpty();
        assertThat(ended.err())
                .contains("already ended (2 SUCCEEDED, 1 FAILED)")
                .contains("nothing was cancelled");

        CliResult cleanup = cli.run("batches", "cleanup", id, "--no-store").assertExit(ExitCodes.OK);
        assertThat(cleanup.out()).startsWith("cleaned up " + id + ": 1 job (backend resources;");
    }

    @Test
    void anUnknownOrMalformedBatchIdExits3AndSaysHowToListBatches() {
        for (List<String> line : List.of(
                List.of("batches", "status", "grp-00000000"),
                List.of("batches", "results", "not-a-batch", "-o", "json"),
                List.of("batches", "resume", "grp-0000"))) {
            CliResult r = cli.run(line.toArray(new String[0])).assertExit(ExitCodes.NOT_FOUND);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).contains(line.get(2)).contains("kinetic batches list");
        }
        assertThat(cli.run("batches", "cleanup", "grp-00000000", "--no-cluster", "--no-store")
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("nothing to clean up");
    }

    /** Polls this JVM's view of the batch until {@code condition} holds. */
    private static void await(BatchHandle<?> batch, Predicate<BatchCounts> condition) {
        Instant deadline = Instant.now().plus(WAIT);
        BatchCounts counts = batch.statusCounts();
        while (!condition.test(counts)) {
            assertThat(Instant.now())
                    .as("batch %s still %s after %s", batch.id(), counts, WAIT)
                    .isBefore(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            counts = batch.statusCounts();
        }
    }

    /**
     * SIGKILLs the batch's worker processes, as if its worker pool had been deleted by hand. The local backend keeps
     * each worker's pid in {@code <home>/local/<batch>-workers-<generation>/w<i>/pid}.
     */
    private void killWorkers(BatchHandle<?> batch) throws Exception {
        Path pool = cli.home().resolve("local").resolve(batch.id() + "-workers-0");
        try (var workers = Files.list(pool)) {
            for (Path w : workers.toList()) {
                long pid = Long.parseLong(Files.readString(w.resolve("pid")).split(" ")[0]);
                ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
                worker.destroyForcibly();
                worker.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
