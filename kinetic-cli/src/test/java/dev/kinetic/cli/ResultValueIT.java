package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.KineticSession;
import dev.kinetic.cli.fixtures.Opaque;
import dev.kinetic.cli.fixtures.Score;
import dev.kinetic.spi.config.SettingsResolver;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results with values: jobs submitted from Java code (the library, in this JVM) and read by the CLI, as a
 * script would read what a program started.
 */
class ResultValueIT {
    @TempDir
    Path root;

    @Test
    void valuesPrintAsJsonOrToStringAndOwnClassesNeedTheClasspath() throws Exception {
        KineticCli cli = new KineticCli(root);
        Map<String, String> env = new HashMap<>(cli.environment());
        String score;
        String opaque;
        String text;
        try (KineticSession kinetic = KineticSession.open(new SettingsResolver(env).resolve(Map.of()))) {
            score = kinetic.remote(() -> new Score("loss", 0.25)).runAsync().id();
            opaque = kinetic.remote(() -> new Opaque()).runAsync().id();
            text = kinetic.remote(() -> "plain text").runAsync().id();
        }

        assertThat(cli.run("jobs", "result", text, "--no-cleanup")
                        .assertExit(ExitCodes.OK)
                        .out()
                        .trim())
                .isEqualTo("\"plain text\"");

        CliResult missing = cli.run("jobs", "result", score, "--no-cleanup").assertExit(ExitCodes.FAILED);
        assertThat(missing.err()).contains(Score.class.getName()).contains("classpath");

        JsonNode doc = cli.run(
                        "jobs",
                        "result",
                        score,
                        "--no-cleanup",
                        "--classpath",
                        KineticCli.fixturesClasspath(),
                        "-o",
                        "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(doc.get("type").asText()).isEqualTo(Score.class.getName());
        assertThat(doc.get("format").asText()).isEqualTo("json");
        assertThat(doc.get("value").get("name").asText()).isEqualTo("loss");
        assertThat(doc.get("value").get("value").asDouble()).isEqualTo(0.25);
        assertThat(cli.run("jobs", "result", score, "--classpath", KineticCli.fixturesClasspath())
                        .assertExit(ExitCodes.OK)
                        .out()
                        .trim())
                .isEqualTo("{\"name\":\"loss\",\"value\":0.25}");
        cli.run("jobs", "status", score).assertExit(ExitCodes.NOT_FOUND); // collected and cleaned up

        JsonNode opaqueDoc = cli.run("jobs", "result", opaque, "-cp", KineticCli.fixturesClasspath(), "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(opaqueDoc.get("format").asText()).isEqualTo("toString");
        assertThat(opaqueDoc.get("value").asText()).isEqualTo("Opaque[42]");
    }
}
