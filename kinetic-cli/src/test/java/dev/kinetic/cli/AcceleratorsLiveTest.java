package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinetic accelerators --live}: the catalog rows the cluster has nodes for, from the nodes' GKE labels. */
class AcceleratorsLiveTest {
    @TempDir
    Path tmp;

    @Test
    void marksTheRowsTheClusterHasNodesFor() throws Exception {
        try (MockCluster cluster = MockCluster.start(tmp)) {
            node(cluster, "gpu-1", "cloud.google.com/gke-accelerator", "nvidia-l4");
            node(cluster, "tpu-1", "cloud.google.com/gke-tpu-accelerator", "tpu-v3-device");
            InProcessCli cli = new InProcessCli(tmp, cluster);

            InProcessCli.Run r = cli.run("accelerators", "--live", "-o", "json");
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
            Map<String, Boolean> live = new HashMap<>();
            for (JsonNode row : CliJson.MAPPER.readTree(r.out())) {
                live.put(row.get("name").asText(), row.get("live").asBoolean());
            }
            assertThat(live)
                    .containsEntry("l4", true)
                    .containsEntry("v3", true)
                    .containsEntry("a100", false)
                    .containsEntry("v5e", false)
                    .containsEntry("cpu", true);

            InProcessCli.Run table = cli.run("accelerators", "--live");
            assertThat(table.out().lines().findFirst().orElseThrow()).endsWith("NODES");
            assertThat(table.out()
                            .lines()
                            .filter(l -> l.startsWith("l4 "))
                            .findFirst()
                            .orElseThrow())
                    .endsWith("yes");

            JsonNode offline = CliJson.MAPPER.readTree(
                    cli.run("accelerators", "-o", "json").out());
            assertThat(offline.get(0).get("live").isNull()).as("not asked").isTrue();
        }
    }

    private static void node(MockCluster cluster, String name, String label, String value) {
        cluster.client()
                .nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .addToLabels(label, value)
                        .endMetadata()
                        .build())
                .create();
    }
}
