package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.cli.fixtures.WriteOutputs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinetic jobs outputs}: a real job writes files under $KINETIC_OUTPUT_DIR; the CLI lists and downloads them. */
class JobsOutputsIT {
    @TempDir
    Path root;

    @Test
    void listsAndDownloadsTheFilesAJobWrote() throws Exception {
        KineticCli cli = new KineticCli(root);
        String job = cli.submitDetached(WriteOutputs.class.getName(), "--", "0.93");
        cli.awaitEnd(job);
        String report = WriteOutputs.report("0.93");

        JsonNode doc = cli.run("jobs", "outputs", job, "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(fieldNames(doc)).containsExactly("id", "outputs");
        assertThat(doc.get("id").asText()).isEqualTo(job);
        JsonNode outputs = doc.get("outputs");
        assertThat(outputs).hasSize(2);
        assertThat(fieldNames(outputs.get(0))).containsExactly("path", "size", "lastModified");
        assertThat(outputs.get(0).get("path").asText()).isEqualTo("plots/curve.csv");
        assertThat(outputs.get(0).get("size").asLong())
                .isEqualTo(WriteOutputs.CURVE.getBytes(StandardCharsets.UTF_8).length);
        assertThat(outputs.get(1).get("path").asText()).isEqualTo("report.txt");
        assertThat(outputs.get(1).get("size").asLong()).isEqualTo(report.getBytes(StandardCharsets.UTF_8).length);
        assertThat(Instant.parse(outputs.get(1).get("lastModified").asText()))
                .isBefore(Instant.now().plusSeconds(60));

        CliResult table = cli.run("jobs", "outputs", job).assertExit(ExitCodes.OK);
        assertThat(table.outLines().get(0)).matches("PATH\\s+SIZE\\s+MODIFIED");
        assertThat(table.outLines().get(2)).startsWith("report.txt").contains(" " + report.length() + " ");

        Path dir = root.resolve("downloaded");
        JsonNode downloaded = cli.run("jobs", "outputs", job, "--download", dir.toString(), "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        assertThat(downloaded.get("directory").asText()).isEqualTo(dir.toString());
        List<String> files = new ArrayList<>();
        downloaded.get("downloaded").forEach(f -> files.add(f.asText()));
        assertThat(files)
                .containsExactlyInAnyOrder(
                        dir.resolve("report.txt").toString(),
                        dir.resolve("plots/curve.csv").toString());
        assertThat(Files.readString(dir.resolve("report.txt"))).isEqualTo(report);
        assertThat(Files.readString(dir.resolve("plots/curve.csv"))).isEqualTo(WriteOutputs.CURVE);

        Path again = root.resolve("again");
        CliResult plain =
                cli.run("jobs", "outputs", job, "--download", again.toString()).assertExit(ExitCodes.OK);
        assertThat(plain.outLines())
                .containsExactlyInAnyOrder(
                        again.resolve("report.txt").toString(),
                        again.resolve("plots/curve.csv").toString());
        assertThat(plain.err()).contains("downloaded 2 files to " + again);
        assertThat(Files.readString(again.resolve("plots/curve.csv"))).isEqualTo(WriteOutputs.CURVE);

        CliResult missing = cli.run("jobs", "outputs", "cpu-nothing-20200101-000000-0000000")
                .assertExit(ExitCodes.NOT_FOUND);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).contains("kinetic jobs list").contains("--no-cleanup");
    }

    @Test
    void listsAndDownloadsByIdAfterAFullCleanup() throws Exception {
        KineticCli cli = new KineticCli(root);
        String job = cli.submitDetached(WriteOutputs.class.getName(), "--", "0.5");
        cli.run("jobs", "result", job, "--timeout", "60").assertExit(ExitCodes.OK); // cleans up everything
        cli.run("jobs", "status", job, "-o", "json").assertExit(ExitCodes.NOT_FOUND);

        JsonNode doc = cli.run("jobs", "outputs", job, "-o", "json")
                .assertExit(ExitCodes.OK)
                .json();
        List<String> paths = new ArrayList<>();
        doc.get("outputs").forEach(f -> paths.add(f.get("path").asText()));
        assertThat(paths).containsExactly("plots/curve.csv", "report.txt");

        Path dir = root.resolve("after-cleanup");
        cli.run("jobs", "outputs", job, "--download", dir.toString()).assertExit(ExitCodes.OK);
        assertThat(Files.readString(dir.resolve("report.txt"))).isEqualTo(WriteOutputs.report("0.5"));
        assertThat(Files.readString(dir.resolve("plots/curve.csv"))).isEqualTo(WriteOutputs.CURVE);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
