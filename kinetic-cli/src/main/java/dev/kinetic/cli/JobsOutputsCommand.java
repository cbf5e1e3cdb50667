package dev.kinetic.cli;

import dev.kinetic.JobHandle;
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
            "Outputs are synced to the store while the job runs and when it ends; they survive "
                    + "`kinetic jobs cleanup`, but are found through the job's record, so read them before a full cleanup "
                    + "(`kinetic submit` and `kinetic jobs result` clean up after success unless --no-cleanup).",
            "Columns: PATH (relative to the output directory), SIZE (bytes), MODIFIED (when the store received it).",
            "With -o json: {\"id\", \"outputs\": [{\"path\", \"size\", \"lastModified\"}]}; with --download: "
                    + "{\"id\", \"directory\", \"downloaded\": [files written]}.",
            "Exits 3 if there is no such job."
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
            JobHandle<Object> handle;
            try {
                handle = kinetic.attach(job.id());
            } catch (JobNotFoundException e) {
                p.note("kinetic: " + e.getMessage());
                p.note("A job's outputs outlive a full cleanup but are found through its record: to read them "
                        + "later, keep it with --no-cleanup on `kinetic submit` or `kinetic jobs result`.");
                return ExitCodes.NOT_FOUND;
            }
            if (download == null) {
                list(handle.id(), handle.outputs(), p);
            } else {
                if (p.terminal().stderr()) {
                    kinetic.onTransfer(new ProgressBar(p.err())); // large checkpoints take a while
                }
                download(handle.id(), handle.downloadOutputs(download), p);
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
