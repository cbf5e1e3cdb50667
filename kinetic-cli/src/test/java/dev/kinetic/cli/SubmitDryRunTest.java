package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kinetic.backend.kubernetes.testnode.KubernetesSchema;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinetic submit --dry-run}: the Job the backend would create, valid by Kubernetes' schema; nothing done. */
class SubmitDryRunTest {
    @TempDir
    static Path shared;

    static MockCluster cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = MockCluster.start(shared);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void yamlAndJsonPrintTheJobAndNothingIsCreated() throws Exception {
        InProcessCli cli = new InProcessCli(tmp, cluster);
        String classpath = KineticCli.fixturesClasspath();
        InProcessCli.Run yaml = cli.run(
                "submit",
                "--dry-run",
                "--accelerator",
                "l4:spot",
                "--classpath",
                classpath,
                "--main",
                "dev.kinetic.cli.fixtures.PrintLines",
                "--",
                "3");
        assertThat(yaml.code()).as(yaml.err()).isEqualTo(ExitCodes.OK);
        assertThat(yaml.out()).startsWith("---\napiVersion: batch/v1\nkind: Job\n");
        JsonNode job = new YAMLMapper().readTree(yaml.out().substring(4));
        assertThat(job.at("/spec/template/spec/nodeSelector/cloud.google.com~1gke-accelerator")
                        .asText())
                .isEqualTo("nvidia-l4");
        assertThat(job.at("/spec/template/spec/containers/0/image").asText()).isEqualTo(InProcessCli.IMAGE);
        assertThat(job.at("/spec/template/spec/containers/0/args").toString()).contains("--job");
        assertThat(KubernetesSchema.problems(job.toString())).isEmpty();

        InProcessCli.Run json = cli.run(
                "submit",
                "--dry-run",
                "-o",
                "json",
                "--accelerator",
                "tpu",
                "--classpath",
                classpath,
                "--main",
                "dev.kinetic.cli.fixtures.PrintLines");
        assertThat(json.code()).as(json.err()).isEqualTo(ExitCodes.OK);
        JsonNode list = CliJson.MAPPER.readTree(json.out());
        assertThat(list.get("kind").asText()).isEqualTo("List");
        assertThat(list.at("/items/0/spec/template/spec/nodeSelector/cloud.google.com~1gke-tpu-topology")
                        .asText())
                .isEqualTo("2x2");
        assertThat(KubernetesSchema.problems(json.out())).isEmpty();

        assertThat(tmp.resolve("store").resolve("jobs")).doesNotExist();
        assertThat(Files.exists(tmp.resolve("store").resolve("cas")))
                .as("nothing uploaded")
                .isFalse();
        assertThat(cluster.client().batch().v1().jobs().inAnyNamespace().list().getItems())
                .isEmpty();
    }

    @Test
    void aMultiHostJobShowsItsServiceAndCapturedVariablesARedactedSecret() throws Exception {
        String secret = "sk-dry-run-" + Long.toHexString(System.nanoTime());
        InProcessCli cli = new InProcessCli(tmp, cluster);
        cli.env().put("PROBE_SECRET_TOKEN", secret);
        InProcessCli.Run json = cli.run(
                "submit",
                "--dry-run",
                "-o",
                "json",
                "--hosts",
                "2",
                "--env",
                "PROBE_SECRET_*",
                "--classpath",
                KineticCli.fixturesClasspath(),
                "--main",
                "dev.kinetic.cli.fixtures.PrintLines");
        assertThat(json.code()).as(json.err()).isEqualTo(ExitCodes.OK);
        assertThat(json.out() + json.err()).doesNotContain(secret);
        JsonNode items = CliJson.MAPPER.readTree(json.out()).get("items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).at("/spec/completionMode").asText()).isEqualTo("Indexed");
        assertThat(items.get(1).get("kind").asText()).isEqualTo("Service");
        assertThat(items.get(2).get("kind").asText()).isEqualTo("Secret");
        assertThat(items.get(2).at("/stringData/PROBE_SECRET_TOKEN").asText()).isEqualTo("<redacted>");
        JsonNode env = items.get(0).at("/spec/template/spec/containers/0/env");
        JsonNode probe = null;
        for (JsonNode e : env) {
            if (e.get("name").asText().equals("PROBE_SECRET_TOKEN")) {
                probe = e;
            }
        }
        assertThat(probe).isNotNull();
        assertThat(probe.has("value")).as("never a literal value").isFalse();
        assertThat(probe.at("/valueFrom/secretKeyRef/name").asText())
                .isEqualTo(items.get(2).at("/metadata/name").asText());
        assertThat(KubernetesSchema.problems(json.out())).isEmpty();
    }

    @Test
    void yamlIsOnlyForADryRun() {
        InProcessCli cli = new InProcessCli(tmp, cluster);
        InProcessCli.Run r =
                cli.run("submit", "-o", "yaml", "--classpath", KineticCli.fixturesClasspath(), "--main", "x.Y");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("yaml is for --dry-run");
    }
}
