package dev.kinetic.cli;

import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.LogsView;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinetic jobs logs <id> [--tail N | --follow]}: the job's output. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        header = "Print a job's output: all of it, the last N lines, or follow it to the end.",
        description = {
            "Reads the live log while the job runs and the stored log once it has ended.",
            "With -o json: {\"id\": ..., \"lines\": [...]}; with --follow the document is printed when the job ends."
        })
public final class JobsLogsCommand extends CommandBase {
    @Mixin
    JobIdParameter job;

    @Mixin
    OutputOption output;

    @Option(
            names = {"-n", "--tail"},
            paramLabel = "N",
            description = "Only the last N lines (reads only the end of the log).")
    Integer tail;

    @Option(
            names = {"-f", "--follow"},
            description = "Print lines as they are written, from the start, until the job ends.")
    boolean follow;

    @Override
    public Integer call() {
        if (tail != null && follow) {
            throw usage("--tail and --follow cannot be used together: --tail prints the last lines and returns, "
                    + "--follow prints everything until the job ends");
        }
        if (tail != null && tail < 0) {
            throw usage("--tail needs a line count of 0 or more, got " + tail);
        }
        Printer p = printer();
        try (KineticSession kinetic = root().openSession(spec)) {
            JobHandle<Object> handle = kinetic.attach(job.id());
            List<String> lines;
            if (follow && !output.json()) {
                handle.followLogs(p::line);
                return ExitCodes.OK;
            } else if (follow) {
                List<String> collected = new ArrayList<>();
                handle.followLogs(collected::add);
                lines = collected;
            } else {
                lines = tail != null ? handle.tail(tail) : handle.logs();
            }
            if (output.json()) {
                p.json(new LogsView(handle.id(), lines));
            } else {
                lines.forEach(p.out()::println);
                p.out().flush();
            }
        }
        return ExitCodes.OK;
    }
}
