package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.cli.fixtures.GangSum;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinetic submit --hosts N} and what the jobs commands show of a multi-host job. */
class MultiHostCommandsIT {
    @TempDir
    Path root;

    private KineticCli cli;

    @BeforeEach
    void install() throws Exception {
        cli = new KineticCli(root);
    }

    @Test
    void aThreeHostJobIsOneRowWithItsHostsAndHasALogPerHost() {
        String id = cli.submitDetached(GangSum.class.getName(), "--hosts", "3");
        cli.awaitEnd(id);

        CliResult table = cli.run("jobs", "list").assertExit(ExitCodes.OK);
        assertThat(table.outLines().get(0))
                .matches("ID\\s+FUNCTION\\s+STATUS\\s+ACCELERATOR\\s+HOSTS\\s+BACKEND\\s+CREATED");
        assertThat(table.outLines()).hasSize(2);
        assertThat(table.outLines().get(1)).matches(id + "\\s+GangSum\\s+SUCCEEDED\\s+cpu\\s+3\\s+local\\s+.*");
        JsonNode json =
                cli.run("jobs", "list", "-o", "json").assertExit(ExitCodes.OK).json();
        assertThat(json.get(0).get("hosts").asInt()).isEqualTo(3);

        assertThat(cli.run("jobs", "logs", id).assertExit(ExitCodes.OK).outLines())
                .containsExactly("host 0 of 3", "sum 3");
        assertThat(cli.run("jobs", "logs", id, "--host", "2")
                        .assertExit(ExitCodes.OK)
                        .outLines())
                .containsExactly("host 2 of 3", "host 2 sent 2");
        List<String> all = cli.run("jobs", "logs", id, "--all-hosts")
                .assertExit(ExitCodes.OK)
                .outLines();
        assertThat(all)
                .containsExactly(
                        "[h0] host 0 of 3",
                        "[h0] sum 3",
                        "[h1] host 1 of 3",
                        "[h1] host 1 sent 1",
                        "[h2] host 2 of 3",
                        "[h2] host 2 sent 2");
        assertThat(cli.run("jobs", "logs", id, "--all-hosts", "--tail", "1")
                        .assertExit(ExitCodes.OK)
                        .outLines())
                .containsExactly("[h0] sum 3", "[h1] host 1 sent 1", "[h2] host 2 sent 2");
        assertThat(cli.run("jobs", "logs", id, "--all-hosts", "--follow")
                        .assertExit(ExitCodes.OK)
                        .outLines())
                .containsExactlyInAnyOrderElementsOf(all);
        JsonNode one = cli.run("jobs", "logs", id, "--host", "1", "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(one.get("host").asInt()).isEqualTo(1);
        assertThat(one.get("lines").toString()).isEqualTo("[\"host 1 of 3\",\"host 1 sent 1\"]");

        assertThat(cli.run("jobs", "logs", id, "--host", "3")
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("runs on 3 hosts (hosts 0 to 2); there is no host 3");
        assertThat(cli.run("jobs", "logs", id, "--host", "1", "--all-hosts")
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("--host and --all-hosts cannot be used together");
        assertThat(cli.run("jobs", "status", id).assertExit(ExitCodes.OK).out()).containsPattern("hosts\\s+3");
    }

    @Test
    void hostsMustAgreeWithATpuSliceAndBePositive() {
        String[] tpu = {
            "submit",
            "--detach",
            "--accelerator",
            "tpu-v5e-16",
            "--hosts",
            "2",
            "--classpath",
            KineticCli.fixturesClasspath(),
            "--main",
            GangSum.class.getName()
        };
        assertThat(cli.run(tpu).assertExit(ExitCodes.USAGE).err())
                .contains("--hosts 2: accelerator 'tpu-v5e-16' is a TPU slice of 4 hosts (4x4)")
                .contains("set it to 4");
        assertThat(cli.run(
                                "submit",
                                "--detach",
                                "--hosts",
                                "0",
                                "--classpath",
                                KineticCli.fixturesClasspath(),
                                "--main",
                                GangSum.class.getName())
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("--hosts needs a count of 1 or more, got 0");
        assertThat(cli.run("jobs", "list", "-o", "name").outLines()).isEmpty();
    }
}
