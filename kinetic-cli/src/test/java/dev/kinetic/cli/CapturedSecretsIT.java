package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.cli.fixtures.SecretProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A planted secret captured with --env reaches the job, and no output of the CLI or file of the store shows it. */
class CapturedSecretsIT {
    @TempDir
    Path root;

    @Test
    void noCliOutputAndNoStoredFileHoldsTheCapturedValue() throws Exception {
        String secret = "sk-cli-planted-" + Long.toHexString(System.nanoTime());
        KineticCli cli = new KineticCli(root);
        Map<String, String> env = Map.of("PROBE_SECRET_TOKEN", secret);
        List<CliResult> outputs = new ArrayList<>();
        CliResult submit = cli.run(
                        env,
                        "submit",
                        "--no-cleanup",
                        "--env",
                        "PROBE_SECRET_*",
                        "--classpath",
                        KineticCli.fixturesClasspath(),
                        "--main",
                        SecretProbe.class.getName(),
                        "-o",
                        "json")
                .assertExit(ExitCodes.OK);
        outputs.add(submit);
        String id = submit.json().get("id").asText();
        CliResult logs = cli.run("jobs", "logs", id, "-o", "json").assertExit(ExitCodes.OK);
        assertThat(logs.out()).contains("secret of " + secret.length() + " characters");
        outputs.add(logs);
        outputs.add(cli.run("jobs", "status", id, "-o", "json").assertExit(ExitCodes.OK));
        outputs.add(cli.run("jobs", "list", "-o", "json").assertExit(ExitCodes.OK));
        outputs.add(cli.run("jobs", "status", id).assertExit(ExitCodes.OK));
        for (CliResult r : outputs) {
            assertThat(r.out() + r.err()).as("output of kinetic %s", r.args()).doesNotContain(secret);
        }
        assertThat(outputs.get(2).out()).contains("PROBE_SECRET_TOKEN").as("the name is shown, never the value");
        List<Path> holding = new ArrayList<>();
        try (Stream<Path> files = Files.walk(cli.home())) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(secret)) {
                    holding.add(p);
                }
            }
        }
        assertThat(holding).as("files under KINETIC_HOME holding the value").isEmpty();
    }
}
