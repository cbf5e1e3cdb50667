package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinetic profile ...} and {@code kinetic config show}: settings and where each came from. */
class ConfigAndProfileIT {
    @TempDir
    Path root;

    private KineticCli cli;

    @BeforeEach
    void install() throws Exception {
        cli = new KineticCli(root);
    }

    @Test
    void defaultsAndEnvironmentAreShownWithTheirSources() {
        JsonNode config =
                cli.run("config", "show", "-o", "json").assertExit(ExitCodes.OK).json();
        assertThat(config.get("profile").isNull()).isTrue();
        assertSetting(config, "backend", "local", "default");
        assertSetting(config, "home", cli.home().toString(), "env");
        assertThat(config.get("settings").get("store").get("source").asText()).isEqualTo("default");

        JsonNode flagged = cli.run(
                        Map.of("KINETIC_NAMESPACE", "team", "KINETIC_S3_SECRET_ACCESS_KEY", "hush"),
                        "config",
                        "show",
                        "--backend",
                        "kubernetes",
                        "-o",
                        "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertSetting(flagged, "backend", "kubernetes", "flag");
        assertSetting(flagged, "namespace", "team", "env");
        assertSetting(flagged, "s3-secret-access-key", "****", "env");

        CliResult table = cli.run("config", "show").assertExit(ExitCodes.OK);
        assertThat(table.outLines().get(0)).matches("SETTING\\s+VALUE\\s+SOURCE");
        assertThat(table.out()).contains("backend").contains("default");
    }

    @Test
    void profilesAreCreatedUsedListedShownAndRemoved() throws Exception {
        Path store = root.resolve("team-store");
        cli.run("profile", "create", "team", "--set", "store=" + store.toUri(), "--set", "namespace=ml")
                .assertExit(ExitCodes.OK);
        assertThat(cli.run("profile", "create", "team", "--set", "namespace=x")
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("already exists")
                .contains("--replace");
        cli.run("profile", "create", "other", "--set", "backend=local").assertExit(ExitCodes.OK);
        assertThat(Files.readString(cli.home().resolve("profiles.json"))).contains("\"team\"");

        JsonNode listed =
                cli.run("profile", "ls", "-o", "json").assertExit(ExitCodes.OK).json();
        assertThat(listed.get("active").isNull()).isTrue();
        assertThat(listed.get("profiles")).hasSize(2);

        cli.run("profile", "use", "team").assertExit(ExitCodes.OK);
        JsonNode config =
                cli.run("config", "show", "-o", "json").assertExit(ExitCodes.OK).json();
        assertThat(config.get("profile").asText()).isEqualTo("team");
        assertSetting(config, "namespace", "ml", "profile");
        assertThat(config.get("settings").get("store").get("source").asText()).isEqualTo("profile");
        assertThat(config.get("settings").get("store").get("value").asText()).contains("team-store");

        // A flag beats the profile, and the environment beats it too.
        JsonNode flagged = cli.run(
                        "config", "show", "--store", root.resolve("elsewhere").toString(), "-o", "json")
                .json();
        assertThat(flagged.get("settings").get("store").get("source").asText()).isEqualTo("flag");
        JsonNode env = cli.run(Map.of("KINETIC_NAMESPACE", "prod"), "config", "show", "-o", "json")
                .json();
        assertSetting(env, "namespace", "prod", "env");
        JsonNode other =
                cli.run("config", "show", "--profile", "other", "-o", "json").json();
        assertThat(other.get("profile").asText()).isEqualTo("other");
        assertThat(other.get("settings").has("namespace")).isFalse();

        JsonNode shown = cli.run("profile", "show", "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(shown.get("name").asText()).isEqualTo("team");
        assertThat(shown.get("active").asBoolean()).isTrue();
        assertThat(shown.get("settings").get("namespace").asText()).isEqualTo("ml");
        assertThat(cli.run("profile", "ls").assertExit(ExitCodes.OK).out()).containsPattern("\\*\\s+team");

        cli.run("profile", "use", "nosuch").assertExit(ExitCodes.USAGE);
        cli.run("profile", "show", "nosuch").assertExit(ExitCodes.USAGE);
        cli.run("profile", "rm", "team").assertExit(ExitCodes.OK);
        assertThat(cli.run("profile", "rm", "team").assertExit(ExitCodes.USAGE).err())
                .contains("does not exist");
        JsonNode after = cli.run("profile", "ls", "-o", "json").json();
        assertThat(after.get("active").isNull())
                .as("removing the active profile deactivates it")
                .isTrue();
        assertThat(after.get("profiles")).hasSize(1);
        cli.run("profile", "use", "--none").assertExit(ExitCodes.OK);
    }

    private static void assertSetting(JsonNode config, String name, String value, String source) {
        JsonNode s = config.get("settings").get(name);
        assertThat(s).as("setting %s in %s", name, config).isNotNull();
        assertThat(s.get("value").asText()).isEqualTo(value);
        assertThat(s.get("source").asText()).isEqualTo(source);
    }
}
