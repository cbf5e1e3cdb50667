package dev.kinetic.cli;

import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.KineticSession.GcOptions;
import dev.kinetic.KineticSession.GcReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinetic gc}: retention for the store. */
@Command(
        name = "gc",
        mixinStandardHelpOptions = true,
        header = "Delete finished jobs older than a limit, then the stored classpaths and data nothing uses any more.",
        description = {
            "Deletes finished jobs (and ended batches) whose end is older than --older-than, with their records, logs"
                    + " and results, then the cas/ objects and data trees that no remaining job, batch or submission in"
                    + " flight references. Outputs are kept unless --outputs is given. Running jobs are never touched.",
            "Without --older-than the profile's `retention` setting (env KINETIC_RETENTION, e.g. 30d) is the limit.",
            "Safe while others submit: a submission holds a lease from its first upload to its record, and the sweep"
                    + " of cas/ waits for none to be live (then run gc again).",
            "With -o json: {\"jobs\": [ids], \"batches\": [ids], \"casObjects\", \"casBytes\", \"dataTrees\","
                    + " \"casSwept\", \"note\", \"dryRun\"}."
        })
public final class GcCommand extends CommandBase {
    /** The profile setting (and {@code KINETIC_RETENTION}) that sets the default age. */
    static final String RETENTION = "retention";

    @Option(
            names = "--older-than",
            paramLabel = "DURATION",
            description = "Collect jobs that ended longer ago than this: 30d, 12h, 90m, 45s or PT1H. "
                    + "Default: the `retention` setting.")
    String olderThan;

    @Option(
            names = "--status",
            paramLabel = "S",
            split = ",",
            description =
                    "Only jobs that ended with these statuses: SUCCEEDED, FAILED, CANCELLED (default: all three).")
    List<String> statuses = List.of();

    @Option(names = "--outputs", description = "Delete the jobs' outputs too (never a prefix a remaining job shares).")
    boolean outputs;

    @Option(names = "--dry-run", description = "Report what would be deleted; delete nothing.")
    boolean dryRun;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        GcReport report;
        try (KineticSession kinetic = root().openSession(spec)) {
            report = kinetic.gc(options(kinetic));
        }
        Printer p = printer();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("jobs", report.jobs());
            doc.put("batches", report.batches());
            doc.put("casObjects", report.casObjects());
            doc.put("casBytes", report.casBytes());
            doc.put("dataTrees", report.dataTrees());
            doc.put("casSwept", report.casSwept());
            doc.put("note", report.note());
            doc.put("dryRun", report.dryRun());
            p.json(doc);
            return ExitCodes.OK;
        }
        String verb = report.dryRun() ? "would delete" : "deleted";
        for (String id : report.jobs()) {
            p.line(verb + " job " + id);
        }
        for (String id : report.batches()) {
            p.line(verb + " batch " + id);
        }
        p.line(verb + " " + report.jobs().size() + " job(s), "
                + report.batches().size() + " batch(es), "
                + report.casObjects() + " stored object(s) (" + String.format("%.1f MB", report.casBytes() / 1e6)
                + "), "
                + report.dataTrees() + " data tree(s)");
        if (report.note() != null) {
            p.note(report.note());
        }
        return ExitCodes.OK;
    }

    private GcOptions options(KineticSession kinetic) {
        Duration age;
        try {
            Optional<String> retention = kinetic.settings().get(RETENTION);
            if (olderThan == null && retention.isEmpty()) {
                throw usage("say how old: --older-than 30d, or set a default with `kinetic profile create NAME "
                        + "--set retention=30d --replace` (or KINETIC_RETENTION=30d)");
            }
            age = DurationText.parse(olderThan != null ? olderThan : retention.get());
        } catch (IllegalArgumentException e) {
            throw usage((olderThan != null ? "--older-than: " : "retention: ") + e.getMessage());
        }
        GcOptions.Builder b =
                GcOptions.builder().olderThan(age).outputs(outputs).dryRun(dryRun);
        for (String s : statuses) {
            try {
                b.status(JobStatus.valueOf(s.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw usage("--status " + s + ": use SUCCEEDED, FAILED or CANCELLED");
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }
}
