package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.cli.fixtures.PrintLines;
import dev.kinetic.cli.fixtures.Sleeper;
import dev.kinetic.cli.fixtures.Thrower;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinetic submit} without --detach, and its usage errors. */
class SubmitCommandIT {
    @TempDir
    Path root;

    private KineticCli cli;

    @BeforeEach
    void install() throws Exception {
        cli = new KineticCli(root);
    }

    @Test
    void attachedSubmitStreamsTheOutputAndExits0ThenCleansUp() {
        CliResult r = cli.run(
                        "submit",
                        "--classpath",
                        KineticCli.fixturesClasspath(),
                        "--main",
                        PrintLines.class.getName(),
                        "--",
                        "3")
                .assertExit(ExitCodes.OK);
        assertThat(r.outLines()).containsExactly("line 1", "line 2", "line 3");
        assertThat(r.err()).contains("submitted cpu-printlines-");
        assertThat(cli.run("jobs", "list", "-o", "name").outLines())
                .as("cleaned up after success")
                .isEmpty();
    }

    @Test
    void detachedSubmitsWithOneIdempotencyKeyPrintOneJob() {
        String[] submit = {
            "submit",
            "--detach",
            "--idempotency-key",
            "ci-run-4711",
            "--classpath",
            KineticCli.fixturesClasspath(),
            "--main",
            PrintLines.class.getName(),
            "--",
            "2"
        };
        String first = cli.run(submit).assertExit(ExitCodes.OK).out().trim();
        String again = cli.run(submit).assertExit(ExitCodes.OK).out().trim();
        assertThat(first).startsWith("cpu-printlines-");
        assertThat(again).isEqualTo(first);
        assertThat(cli.run("jobs", "list", "-o", "name").outLines()).containsExactly(first);
        CliResult bad = cli.run(
                        "submit",
                        "--detach",
                        "--idempotency-key",
                        "no/slashes",
                        "--classpath",
                        KineticCli.fixturesClasspath(),
                        "--main",
                        PrintLines.class.getName())
                .assertExit(ExitCodes.USAGE);
        assertThat(bad.err()).contains("invalid idempotency key 'no/slashes'");
    }

    @Test
    void attachedSubmitOfAFailingMainExits1WithTheRemoteTraceAndKeepsTheJob() {
        CliResult r = cli.run(
                        "submit",
                        "--classpath",
                        KineticCli.fixturesClasspath(),
                        "--main",
                        Thrower.class.getName(),
                        "--",
                        "no luck")
                .assertExit(ExitCodes.FAILED);
        // The job's output is its log, the task's stderr (where the JVM printed the trace) included.
        assertThat(r.outLines()).startsWith("about to fail");
        assertThat(r.err())
                .contains("java.lang.IllegalStateException: boom: no luck")
                .contains("at " + Thrower.class.getName() + ".main(Thrower.java");
        JsonNode jobs =
                cli.run("jobs", "list", "-o", "json").assertExit(ExitCodes.OK).json();
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).get("status").asText()).isEqualTo("FAILED");
    }

    @Test
    void submitTimeoutLimitsHowLongTheJobRunsAndABadOneIsAUsageError() {
        CliResult r = cli.run(
                        "submit",
                        "--timeout",
                        "3s",
                        "--classpath",
                        KineticCli.fixturesClasspath(),
                        "--main",
                        Sleeper.class.getName(),
                        "--",
                        "60")
                .assertExit(ExitCodes.FAILED);
        assertThat(r.outLines()).startsWith("sleeping 60s");
        assertThat(r.err()).contains("timed out after PT3S");
        JsonNode jobs =
                cli.run("jobs", "list", "-o", "json").assertExit(ExitCodes.OK).json();
        assertThat(jobs.get(0).get("status").asText()).isEqualTo("FAILED");
        assertThat(cli.run("jobs", "status", jobs.get(0).get("id").asText(), "-o", "json")
                        .json()
                        .get("reason")
                        .asText())
                .isEqualTo("timed out after PT3S");

        for (String bad : new String[] {"soon", "0s"}) {
            assertThat(cli.run(
                                    "submit",
                                    "--timeout",
                                    bad,
                                    "--classpath",
                                    KineticCli.fixturesClasspath(),
                                    "--main",
                                    Sleeper.class.getName())
                            .assertExit(ExitCodes.USAGE)
                            .err())
                    .contains("--timeout")
                    .contains("'" + bad + "'");
        }
    }

    @Test
    void attachedSubmitWithJsonPrintsTheJobAndSendsTheOutputToStderr() {
        CliResult r = cli.run(
                        "submit",
                        "--classpath",
                        KineticCli.fixturesClasspath(),
                        "--main",
                        PrintLines.class.getName(),
                        "--no-cleanup",
                        "--env",
                        "FIXTURE_*",
                        "-o",
                        "json",
                        "--",
                        "2")
                .assertExit(ExitCodes.OK);
        assertThat(r.json().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(r.err()).contains("line 1").contains("line 2");
        assertThat(cli.run("jobs", "list", "-o", "name").outLines()).hasSize(1);
    }

    @Test
    void aBadAcceleratorExits2ListingTheValidNames() {
        CliResult r = cli.run(
                        "submit",
                        "--detach",
                        "--accelerator",
                        "h200x3",
                        "--classpath",
                        KineticCli.fixturesClasspath(),
                        "--main",
                        PrintLines.class.getName())
                .assertExit(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .contains("h200x3")
                .contains("cpu")
                .contains("l4")
                .contains("tpu-v5e")
                .contains("kinetic accelerators");
        assertThat(cli.run(
                                "submit",
                                "--detach",
                                "--accelerator",
                                "l4x3",
                                "--classpath",
                                KineticCli.fixturesClasspath(),
                                "--main",
                                PrintLines.class.getName())
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("counts");
    }

    @Test
    void aMissingOrEmptyClasspathIsAUsageError() throws Exception {
        assertThat(cli.run("submit", "--detach", "--main", PrintLines.class.getName())
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("--classpath");
        assertThat(cli.run("submit", "--detach", "--classpath", "", "--main", PrintLines.class.getName())
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("classpath is empty");
        assertThat(cli.run(
                                "submit",
                                "--detach",
                                "--classpath",
                                root.resolve("nope.jar").toString(),
                                "--main",
                                PrintLines.class.getName())
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("nope.jar")
                .contains("does not exist");
        Path emptyDir = Files.createDirectories(root.resolve("lib"));
        assertThat(cli.run("submit", "--detach", "--classpath", emptyDir + "/*", "--main", PrintLines.class.getName())
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("names no jar");
        assertThat(cli.run("submit", "--detach", "--classpath", KineticCli.fixturesClasspath())
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("--main");
        assertThat(cli.run("jobs", "list", "-o", "name").outLines())
                .as("nothing was submitted")
                .isEmpty();
    }

    @Test
    void anUnsetEnvVariableOrABadLabelIsAUsageError() {
        assertThat(cli.run(
                                Map.of(),
                                "submit",
                                "--detach",
                                "--env",
                                "KINETIC_TEST_UNSET",
                                "--classpath",
                                KineticCli.fixturesClasspath(),
                                "--main",
                                PrintLines.class.getName())
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("KINETIC_TEST_UNSET")
                .contains("not set");
        assertThat(cli.run(
                                "submit",
                                "--detach",
                                "--label",
                                "bad key=x",
                                "--classpath",
                                KineticCli.fixturesClasspath(),
                                "--main",
                                PrintLines.class.getName())
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("invalid label");
    }

    @Test
    void aMainClassNotOnTheClasspathFailsTheJob() {
        CliResult r = cli.run("submit", "--classpath", KineticCli.fixturesClasspath(), "--main", "com.example.Missing")
                .assertExit(ExitCodes.FAILED);
        assertThat(r.err()).contains("com.example.Missing").contains("not on the job's classpath");
    }
}
