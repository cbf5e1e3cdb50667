package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, version, completion, the accelerator catalog, and usage errors (exit 2) that need no job. */
class CommandLineIT {
    @TempDir
    Path root;

    private KineticCli cli;

    @BeforeEach
    void install() throws Exception {
        cli = new KineticCli(root);
    }

    @Test
    void versionAndHelpOnEveryCommand() {
        assertThat(cli.run("--version").assertExit(ExitCodes.OK).out()).startsWith("kinetic 0.1.0");
        // HelpTextIT checks every command's help text on the model; here a few for real.
        for (String command : List.of("", "jobs", "submit")) {
            String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");
            CliResult help = cli.run(args).assertExit(ExitCodes.OK);
            assertThat(help.out()).as("help of '%s'", command).contains("Usage: kinetic");
        }
        assertThat(cli.run("jobs", "logs", "--help").out())
                .contains("--tail")
                .contains("--follow")
                .contains("-o, --output");
    }

    @Test
    void theLauncherRunsTheJarAndSaysHowToBuildItWhenMissing() throws Exception {
        Path launcher = Path.of(System.getProperty("kinetic.launcher", "../bin/kinetic"));
        assertThat(Files.isExecutable(launcher))
                .as("%s is executable", launcher)
                .isTrue();
        Process ok = new ProcessBuilder(launcher.toString(), "--version")
                .redirectErrorStream(true)
                .start();
        assertThat(new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("kinetic 0.1.0");
        assertThat(ok.waitFor()).isZero();

        ProcessBuilder missing = new ProcessBuilder(launcher.toString(), "--version");
        missing.environment().put("KINETIC_JAR", root.resolve("nope.jar").toString());
        Process p = missing.redirectErrorStream(true).start();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("nope.jar is missing")
                .contains("mvn -q package -DskipTests");
        assertThat(p.waitFor()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void completionPrintsABashScript() {
        CliResult r = cli.run("completion").assertExit(ExitCodes.OK);
        assertThat(r.out()).contains("complete -F").contains("jobs").contains("submit");
    }

    @Test
    void acceleratorsListsTheCatalog() {
        JsonNode rows =
                cli.run("accelerators", "-o", "json").assertExit(ExitCodes.OK).json();
        JsonNode l4 = null;
        for (JsonNode r : rows) {
            if (r.get("name").asText().equals("l4")) {
                l4 = r;
            }
        }
        assertThat(l4).isNotNull();
        assertThat(l4.get("kind").asText()).isEqualTo("gpu");
        assertThat(l4.get("selectors").get("cloud.google.com/gke-accelerator").asText())
                .isEqualTo("nvidia-l4");
        assertThat(l4.get("aliases").get(0).asText()).isEqualTo("nvidia-l4");
        assertThat(l4.get("machines").get("1").asText()).startsWith("g2-standard-4");
        assertThat(cli.run("accelerators").assertExit(ExitCodes.OK).outLines().get(0))
                .startsWith("NAME")
                .contains("KIND");
    }

    @Test
    void usageErrorsExit2WithAMessageOnStderr() {
        CliResult both = cli.run("jobs", "logs", "cpu-x-20200101-000000-0000000", "--tail", "3", "--follow")
                .assertExit(ExitCodes.USAGE);
        assertThat(both.err())
                .contains("--tail and --follow cannot be used together")
                .contains("kinetic jobs logs --help");
        assertThat(both.out()).isEmpty();

        assertThat(cli.run("jobs", "lst").assertExit(ExitCodes.USAGE).err()).contains("Did you mean");
        assertThat(cli.run("jobs").assertExit(ExitCodes.USAGE).err())
                .contains("needs a subcommand")
                .contains("list");
        assertThat(cli.run("jobs", "list", "-o", "yaml")
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("yaml");
        assertThat(cli.run("jobs", "status", "-o", "name", "x")
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("name");
        cli.run("jobs", "list", "--limit", "-1").assertExit(ExitCodes.USAGE);
        cli.run("jobs", "list", "--status", "DONE").assertExit(ExitCodes.USAGE);
        cli.run("jobs", "status").assertExit(ExitCodes.USAGE);
        cli.run("jobs", "result", "x", "--timeout", "soon").assertExit(ExitCodes.USAGE);
        assertThat(cli.run("jobs", "cleanup", "x", "--no-cluster", "--no-store")
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("nothing to clean up");
        assertThat(cli.run("--profile", "nosuch", "jobs", "list")
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("nosuch")
                .contains("kinetic profile ls");
    }
}
