package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.cli.fixtures.PrintLines;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinetic gc} and {@code kinetic setup store --lifecycle}. */
class GcCommandIT {
    @TempDir
    Path root;

    private KineticCli cli;

    @BeforeEach
    void install() throws Exception {
        cli = new KineticCli(root);
    }

    @Test
    void gcCollectsFinishedJobsAfterADryRunAndTakesTheRetentionAsItsDefault() {
        String id = cli.run(
                        "submit",
                        "--no-cleanup",
                        "--classpath",
                        KineticCli.fixturesClasspath(),
                        "--main",
                        PrintLines.class.getName(),
                        "-o",
                        "json",
                        "--",
                        "1")
                .assertExit(ExitCodes.OK)
                .json()
                .get("id")
                .asText();
        assertThat(cli.run("gc").assertExit(ExitCodes.USAGE).err()).contains("--older-than 30d");
        assertThat(cli.run("gc", "--older-than", "a while")
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("'a while' is not a duration");
        assertThat(cli.run("gc", "--older-than", "1d").assertExit(ExitCodes.OK).out())
                .contains("deleted 0 job(s)");

        JsonNode dry = cli.run("gc", "--older-than", "0s", "--dry-run", "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(dry.get("jobs")).hasSize(1);
        assertThat(dry.get("jobs").get(0).asText()).isEqualTo(id);
        assertThat(dry.get("dryRun").asBoolean()).isTrue();
        assertThat(cli.run("jobs", "list", "-o", "name").outLines()).containsExactly(id);

        CliResult gc = cli.run(Map.of("KINETIC_RETENTION", "0s"), "gc").assertExit(ExitCodes.OK);
        assertThat(gc.out()).contains("deleted job " + id).contains("deleted 1 job(s)");
        assertThat(cli.run("jobs", "list", "-o", "name").outLines()).isEmpty();
    }

    @Test
    void setupStorePrintsTheLifecycleRuleForTheBucketAndPrefix() throws Exception {
        CliResult s3 = cli.run(
                        Map.of("KINETIC_STORE", "s3://team-bucket/kinetic"),
                        "setup",
                        "store",
                        "--lifecycle",
                        "--retention",
                        "30d")
                .assertExit(ExitCodes.OK);
        JsonNode rules = new com.fasterxml.jackson.databind.ObjectMapper().readTree(s3.out());
        assertThat(rules.get("Rules")).hasSize(4);
        assertThat(rules.get("Rules").get(0).get("Filter").get("Prefix").asText())
                .isEqualTo("kinetic/jobs/");
        assertThat(rules.get("Rules").get(0).get("Expiration").get("Days").asInt())
                .isEqualTo(30);
        assertThat(s3.err()).contains("aws s3api put-bucket-lifecycle-configuration --bucket team-bucket");

        CliResult gcs = cli.run(
                        Map.of("KINETIC_STORE", "gs://ml/kin", "KINETIC_RETENTION", "36h"),
                        "setup",
                        "store",
                        "--lifecycle")
                .assertExit(ExitCodes.OK);
        JsonNode rule = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(gcs.out())
                .get("rule")
                .get(0);
        assertThat(rule.get("condition").get("age").asInt())
                .as("whole days, rounded up")
                .isEqualTo(2);
        assertThat(rule.get("condition").get("matchesPrefix").toString()).contains("kin/jobs/", "kin/groups/");
        assertThat(gcs.err()).contains("gcloud storage buckets update gs://ml --lifecycle-file=");
        assertThat(cli.run("setup", "store", "--lifecycle")
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("--retention 30d");
    }
}
