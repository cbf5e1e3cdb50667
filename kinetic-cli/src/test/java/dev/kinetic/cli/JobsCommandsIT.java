package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.cli.fixtures.PrintLines;
import dev.kinetic.cli.fixtures.Sleeper;
import dev.kinetic.cli.fixtures.Thrower;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kinetic submit --detach} and every {@code kinetic jobs} subcommand, run as real processes against real
 * detached local jobs. The jobs are submitted once and shared by the tests, which only read them or wait for them,
 * except those that cancel or clean up jobs of their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsCommandsIT {
    private static final Pattern JOB_ID = Pattern.compile("[a-z0-9]+-[a-z0-9-]+-\\d{8}-\\d{6}-[0-9a-f]{7}");

    private KineticCli cli;
    private String printer;
    private String thrower;
    private String sleeper;

    @BeforeAll
    void submitJobs(@TempDir Path root) throws Exception {
        cli = new KineticCli(root);
        printer = cli.submitDetached(
                PrintLines.class.getName(), "--label", "suite=cli", "--label", "kind=print", "--", "5");
        thrower = cli.submitDetached(Thrower.class.getName(), "--label", "suite=cli");
        sleeper = cli.submitDetached(Sleeper.class.getName(), "--", "120");
    }

    @AfterAll
    void stopJobs() {
        if (sleeper != null) {
            cli.run("jobs", "cancel", sleeper);
        }
    }

    @Test
    void submitDetachedPrintsOnlyTheJobId() {
        assertThat(printer).matches(JOB_ID).startsWith("cpu-printlines-");
        assertThat(thrower).matches(JOB_ID).startsWith("cpu-thrower-");
    }

    @Test
    void resultOfASucceededJobIsJsonAndStatusShowsTheRecord() {
        JsonNode result = cli.run("jobs", "result", printer, "--no-cleanup", "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(result.get("id").asText()).isEqualTo(printer);
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.get("value").isNull()).as("main returns nothing").isTrue();

        CliResult table = cli.run("jobs", "result", printer, "--no-cleanup").assertExit(ExitCodes.OK);
        assertThat(table.out().trim()).isEqualTo("null");

        JsonNode status = cli.run("jobs", "status", printer, "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(fieldNames(status))
                .containsExactly(
                        "id",
                        "function",
                        "status",
                        "reason",
                        "accelerator",
                        "backend",
                        "createdAt",
                        "startedAt",
                        "endedAt",
                        "exitCode",
                        "labels",
                        "hosts",
                        "capturedEnv",
                        "queuePosition");
        assertThat(status.get("function").asText()).isEqualTo("PrintLines");
        assertThat(status.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(status.get("reason").isNull()).isTrue();
        assertThat(status.get("accelerator").asText()).isEqualTo("cpu");
        assertThat(status.get("backend").asText()).isEqualTo("local");
        assertThat(Instant.parse(status.get("endedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(status.get("createdAt").asText()));
        assertThat(status.get("exitCode").asInt()).isZero();
        assertThat(status.get("labels").get("suite").asText()).isEqualTo("cli");

        CliResult human = cli.run("jobs", "status", printer).assertExit(ExitCodes.OK);
        assertThat(human.out()).contains("SUCCEEDED").contains(printer).doesNotContain("\u001B[");
    }

    @Test
    void logsPrintsEverythingOrTheTail() {
        cli.awaitEnd(printer);
        assertThat(cli.run("jobs", "logs", printer).assertExit(ExitCodes.OK).outLines())
                .containsExactly("line 1", "line 2", "line 3", "line 4", "line 5");
        assertThat(cli.run("jobs", "logs", printer, "--tail", "2")
                        .assertExit(ExitCodes.OK)
                        .outLines())
                .containsExactly("line 4", "line 5");
        JsonNode json = cli.run("jobs", "logs", printer, "--tail", "1", "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(json.get("id").asText()).isEqualTo(printer);
        assertThat(json.get("lines").toString()).isEqualTo("[\"line 5\"]");
    }

    @Test
    void followStreamsTheLogUntilTheJobEnds() {
        String slow = cli.submitDetached(PrintLines.class.getName(), "--", "4", "300");
        CliResult follow = cli.run("jobs", "logs", slow, "--follow").assertExit(ExitCodes.OK);
        assertThat(follow.outLines()).containsExactly("line 1", "line 2", "line 3", "line 4");
        // --follow returns only once the job has ended.
        JsonNode status = cli.run("jobs", "status", slow, "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(status.get("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void listShowsJobsNewestFirstWithFilters() {
        cli.awaitEnd(printer);
        cli.awaitEnd(thrower);
        JsonNode all =
                cli.run("jobs", "list", "-o", "json").assertExit(ExitCodes.OK).json();
        List<String> ids = new ArrayList<>();
        all.forEach(j -> ids.add(j.get("id").asText()));
        assertThat(ids).contains(printer, thrower, sleeper);
        List<String> created = new ArrayList<>();
        all.forEach(j -> created.add(j.get("createdAt").asText()));
        assertThat(created)
                .as("newest first")
                .isSortedAccordingTo((a, b) -> Instant.parse(b).compareTo(Instant.parse(a)));

        List<String> names =
                cli.run("jobs", "list", "-o", "name").assertExit(ExitCodes.OK).outLines();
        assertThat(names).allMatch(n -> JOB_ID.matcher(n).matches()).contains(printer, thrower, sleeper);

        assertThat(cli.run("jobs", "list", "--label", "suite=cli", "-o", "name")
                        .assertExit(ExitCodes.OK)
                        .outLines())
                .containsExactlyInAnyOrder(printer, thrower);
        assertThat(cli.run("jobs", "list", "--label", "suite=cli", "--label", "kind=print", "-o", "name")
                        .outLines())
                .containsExactly(printer);
        assertThat(cli.run("jobs", "list", "--status", "failed", "-o", "name")
                        .assertExit(ExitCodes.OK)
                        .outLines())
                .containsExactly(thrower);
        assertThat(cli.run("jobs", "list", "--limit", "1", "-o", "json")
                        .assertExit(ExitCodes.OK)
                        .json())
                .hasSize(1);

        CliResult table = cli.run("jobs", "list").assertExit(ExitCodes.OK);
        assertThat(table.outLines().get(0))
                .matches("ID\\s+FUNCTION\\s+STATUS\\s+ACCELERATOR\\s+HOSTS\\s+BACKEND\\s+CREATED");
        assertThat(table.out()).contains(printer).contains("FAILED").doesNotContain("\u001B[");
    }

    @Test
    void aFailedJobExits1WithTheRemoteStackTraceOnStderr() {
        CliResult result = cli.run("jobs", "result", thrower).assertExit(ExitCodes.FAILED);
        assertThat(result.out()).isEmpty();
        assertThat(result.err())
                .contains("job " + thrower + " failed")
                .contains("java.lang.IllegalStateException: boom: bad input")
                .contains("at " + Thrower.class.getName() + ".validate(Thrower.java")
                .contains("kinetic jobs logs " + thrower);

        JsonNode status = cli.run("jobs", "status", thrower, "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(status.get("status").asText()).isEqualTo("FAILED");
        assertThat(status.get("reason").asText()).contains("boom");
        assertThat(cli.run("jobs", "logs", thrower).outLines()).contains("about to fail");
    }

    @Test
    void resultTimesOutWith124ThenCancelMakesItExit4() {
        CliResult timedOut =
                cli.run("jobs", "result", sleeper, "--timeout", "1").assertExit(ExitCodes.TIMED_OUT);
        assertThat(timedOut.err()).contains(sleeper).contains("keeps running");
        assertThat(cli.run("jobs", "status", sleeper, "-o", "json")
                        .json()
                        .get("status")
                        .asText())
                .isIn("PENDING", "RUNNING");

        CliResult cancel = cli.run("jobs", "cancel", sleeper).assertExit(ExitCodes.OK);
        assertThat(cancel.out().trim()).isEqualTo("cancelled " + sleeper);

        CliResult result = cli.run("jobs", "result", sleeper).assertExit(ExitCodes.CANCELLED);
        assertThat(result.err()).contains("cancelled");
        assertThat(cli.run("jobs", "status", sleeper, "-o", "json")
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("CANCELLED");

        CliResult again = cli.run("jobs", "cancel", sleeper, "-o", "json").assertExit(ExitCodes.OK);
        assertThat(again.json().get("cancelled").asBoolean()).isFalse();
        CliResult againTable = cli.run("jobs", "cancel", sleeper).assertExit(ExitCodes.OK);
        assertThat(againTable.out()).isEmpty();
        assertThat(againTable.err()).contains("already ended").contains("nothing was cancelled");
    }

    @Test
    void cleanupDeletesWhatItIsAskedToThenTheJobIsGone() {
        String job = cli.submitDetached(PrintLines.class.getName(), "--", "1");
        cli.awaitEnd(job);
        JsonNode partial = cli.run("jobs", "cleanup", job, "--no-store", "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(partial.get("backend").asBoolean()).isTrue();
        assertThat(partial.get("store").asBoolean()).isFalse();
        assertThat(cli.run("jobs", "logs", job).assertExit(ExitCodes.OK).outLines())
                .containsExactly("line 1");

        cli.run("jobs", "cleanup", job).assertExit(ExitCodes.OK);
        CliResult gone = cli.run("jobs", "status", job).assertExit(ExitCodes.NOT_FOUND);
        assertThat(gone.err()).contains(job).contains("kinetic jobs list");
    }

    @Test
    void anUnknownJobExits3AndSaysHowToListJobs() {
        String id = "cpu-nothing-20200101-000000-0000000";
        for (List<String> args : List.of(
                List.of("status"),
                List.of("logs"),
                List.of("logs", "--follow"),
                List.of("result"),
                List.of("cancel"),
                List.of("cleanup"))) {
            List<String> line = new ArrayList<>(List.of("jobs"));
            line.add(args.get(0));
            line.add(id);
            line.addAll(args.subList(1, args.size()));
            CliResult r = cli.run(line.toArray(new String[0])).assertExit(ExitCodes.NOT_FOUND);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).contains(id).contains("kinetic jobs list");
        }
        cli.run("jobs", "status", "Not/An/Id").assertExit(ExitCodes.NOT_FOUND);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
