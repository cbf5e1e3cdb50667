package dev.kinetic.cli;

import dev.kinetic.JobHandle.OutputFile;
import dev.kinetic.JobNotFoundException;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.OutputsView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinetic jobs outputs <id> [--download DIR]}: the files the job wrote under KINETIC_OUTPUT_DIR. */
@Command(
        name = "outputs",
        mixinStandardHelpOptions = true,
        header = "List, or download, the files a job wrote under $KINETIC_OUTPUT_DIR.",
        description = {
            "Outputs are synced to the store while the job runs and when it ends, and survive cleanup: after a full "
                    + "cleanup (the default of `kinetic submit` and `kinetic jobs result` on success) they are still "
                    + "found by the job's id under outputs/ID/. A job given a custom output directory (outputDir, "
                    + "often shared by several jobs) is found through its record only.",
            "Columns: PATH (relative to the output directory), SIZE (bytes), MODIFIED (when the store received it).",
            "With -o json: {\"id\", \"outputs\": [{\"path\", \"size\", \"lastModified\"}]}; with --download: "
                    + "{\"id\", \"directory\", \"downloaded\": [files written]}.",
            "Exits 3 if the store has neither a record nor outputs of that id."
        })
public final class JobsOutputsCommand extends CommandBase {
    @Mixin
    JobIdParameter job;

    @Mixin
    OutputOption output;

    @Option(
            names = "--download",
            paramLabel = "DIR",
            description = "Download the outputs into DIR (created if missing), keeping their structure, and print the "
                    + "files written; existing files of the same name are replaced.")
    Path download;

    @Override
    public Integer call() {
        if (download != null && Files.exists(download) && !Files.isDirectory(download)) {
            throw usage("--download needs a directory, but " + download + " is a file");
        }
        Printer p = printer();
        try (KineticSession kinetic = root().openSession(spec)) {
            try {
                if (download == null) {
                    list(job.id(), kinetic.outputs(job.id()), p);
                } else {
                    if (p.terminal().stderr()) {
                        kinetic.onTransfer(new ProgressBar(p.err())); // large checkpoints take a while
                    }
                    download(job.id(), kinetic.downloadOutputs(job.id(), download), p);
                }
            } catch (JobNotFoundException e) {
                p.note("kinetic: " + e.getMessage());
                p.note("Outputs are found by the job's id after a cleanup only under outputs/ID/; a job with a custom "
                        + "output directory is found through its record (keep it with --no-cleanup on `kinetic "
                        + "submit` or `kinetic jobs result`).");
                return ExitCodes.NOT_FOUND;
            }
        }
        return ExitCodes.OK;
    }

    private void list(String id, List<OutputFile> files, Printer p) {
        OutputsView view = OutputsView.of(id, files);
        if (output.json()) {
            p.json(view);
        } else if (view.outputs().isEmpty()) {
            p.note("job " + id + " has no outputs (yet): files it writes under $KINETIC_OUTPUT_DIR are synced to the "
                    + "store while it runs and when it ends.");
        } else {
            Table table = new Table("PATH", "SIZE", "MODIFIED");
            view.outputs().forEach(f -> table.row(f.path(), String.valueOf(f.size()), p.time(f.lastModified())));
            p.table(table);
        }
    }

    private void download(String id, List<Path> written, Printer p) {
        Path directory = download.toAbsolutePath().normalize();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", id);
            doc.put("directory", directory.toString());
            doc.put("downloaded", written.stream().map(Path::toString).toList());
            p.json(doc);
        } else {
            written.forEach(f -> p.line(f.toString()));
        }
        p.note(
                written.isEmpty()
                        ? "job " + id + " has no outputs (yet); nothing was downloaded"
                        : "downloaded " + written.size() + " file" + (written.size() == 1 ? "" : "s") + " to "
                                + directory);
    }
}
