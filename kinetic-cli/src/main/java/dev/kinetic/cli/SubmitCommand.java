package dev.kinetic.cli;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.JobOptions;
import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import dev.kinetic.spi.AccessRefusedException;
import dev.kinetic.spi.accelerator.Accelerator;
import dev.kinetic.spi.accelerator.AcceleratorCatalog;
import dev.kinetic.ui.view.JobView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kinetic submit}: runs a main class of a jar or classpath as a job, as spark-submit does. */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        header = "Run a main class as a job.",
        description = {
            "Snapshots the classpath into the store (unchanged jars are not uploaded again) and runs "
                    + "CLASS.main(ARGS) on the backend.",
            "With --detach: prints the job id and returns at once. Without: follows the job's output on stdout "
                    + "and exits with its outcome (0 succeeded, 1 failed, 4 cancelled); Ctrl-C stops following, the job "
                    + "keeps running.",
            "With -o json: the job (as `jobs status -o json`) on stdout; without --detach the output then goes to "
                    + "stderr.",
            "With --dry-run: prints the objects the backend would create (the Kubernetes Job, and any Service), as "
                    + "YAML (-o yaml, the default) or a JSON List (-o json), and writes nothing to the store or the "
                    + "cluster; an image that would be built shows as the reference it would get, and nothing is built."
        },
        footer = {
            "",
            "Example: kinetic submit --detach --accelerator l4 --classpath app.jar:lib/* "
                    + "--main com.example.Train -- --epochs 3",
            "Multi-host: kinetic submit --detach --hosts 4 --classpath app.jar --main com.example.AllReduce"
        })
public final class SubmitCommand extends CommandBase {
    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            description = "table (default) or json; with --dry-run: yaml (default) or json.")
    String format;

    @Option(
            names = "--dry-run",
            description = "Print what the backend would create for this job, and create, build and write nothing.")
    boolean dryRun;

    @Option(
            names = {"-d", "--detach"},
            description = "Print the job id and return at once; the job runs on.")
    boolean detach;

    @Option(
            names = {"-cp", "--classpath"},
            paramLabel = "CP",
            required = true,
            description = "The jars and class directories to run, separated by ':'; 'dir/*' means every jar in dir.")
    String classpath;

    @Option(
            names = "--main",
            paramLabel = "CLASS",
            required = true,
            description = "The class whose public static void main(String[]) runs, e.g. com.example.Train.")
    String mainClass;

    @Option(
            names = "--accelerator",
            paramLabel = "NAME",
            defaultValue = "cpu",
            description = "cpu (default), a GPU such as l4 or a100x4, a TPU such as tpu-v5e-1; append :spot for spot "
                    + "capacity. `kinetic accelerators` lists them.")
    String accelerator;

    @Option(
            names = "--hosts",
            paramLabel = "N",
            description = "Run on N hosts together, each with the accelerator's shape; each gets KINETIC_HOST_INDEX, "
                    + "KINETIC_HOST_COUNT, KINETIC_COORDINATOR_ADDRESS and KINETIC_HOSTS. A multi-host TPU slice "
                    + "(tpu-v5e-16: 4 hosts) has its own count: N may only repeat it.")
    Integer hosts;

    @Option(
            names = "--env",
            paramLabel = "NAME",
            description = "Pass this environment variable's value to the job; NAME_* passes every variable with "
                    + "that prefix. Repeatable.")
    List<String> env = new ArrayList<>();

    @Option(
            names = "--label",
            paramLabel = "KEY=VALUE",
            description = "Label the job (shown and filterable in `jobs list`). Repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(
            names = "--jvm-arg",
            paramLabel = "ARG",
            description = "An option for the job's JVM, e.g. --jvm-arg=-Xmx8g. Repeatable.")
    List<String> jvmArgs = new ArrayList<>();

    @Option(
            names = "--idempotency-key",
            paramLabel = "KEY",
            description = "Submit at most once: a second submit with the same KEY to the same store prints the first "
                    + "job's id (while its record exists) instead of starting another, even from another machine. "
                    + "KEY: 1-128 letters, digits, '.', '_' or '-', e.g. ci-run-4711.")
    String idempotencyKey;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "Limit how long the job may run, counted from when it starts running (not from submission), "
                    + "e.g. 90m, 2h, 45s or PT1H30M: then its outputs are synced, its processes stopped, and it ends "
                    + "FAILED (\"timed out after PT...\"). On Kubernetes it also sets the Job's activeDeadlineSeconds. "
                    + "Default: no limit. (`jobs result --timeout` only stops waiting.)")
    String timeout;

    @Option(
            names = "--no-cleanup",
            description = "Without --detach: keep the job's backend resource and stored artifacts after it succeeds.")
    boolean noCleanup;

    @Parameters(paramLabel = "ARGS", arity = "0..*", description = "Arguments for main; put them after `--`.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        boolean json = outputFormat().equals("json");
        List<Path> entries = validatedClasspath();
        JobOptions options = options();
        Printer p = printer();
        if (dryRun) {
            return dryRun(entries, options, p, json);
        }
        try (KineticSession kinetic = root().openSession(spec)) {
            return submit(kinetic, entries, options, p, json);
        } catch (KineticException e) {
            diagnose(e, p);
            throw e;
        }
    }

    /**
     * When the cluster refused the submit for a reason of set-up (401, 403, 404), runs the doctor's checks and says
     * in one line which fail, so the user learns what to fix, not only what broke.
     */
    private void diagnose(KineticException e, Printer p) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AccessRefusedException refused) {
                try {
                    Doctor.Report report = Doctor.run(root().settings(spec), accelerator);
                    p.note("kinetic: the cluster refused the submit (" + refused.status() + "); kinetic doctor: "
                            + report.summary() + "; run `kinetic doctor` for the fixes");
                } catch (RuntimeException doctorFailed) {
                    e.addSuppressed(doctorFailed);
                }
                return;
            }
        }
    }

    private int submit(KineticSession kinetic, List<Path> entries, JobOptions options, Printer p, boolean json) {
        if (p.terminal().stderr()) {
            kinetic.onTransfer(new ProgressBar(p.err()));
        }
        kinetic.onStatusChange(PendingNotes.to(p));
        JobHandle<Void> job = kinetic.remoteMain(mainClass, args)
                .options(options.toBuilder().classpath(entries).build())
                .runAsync();
        if (detach) {
            if (json) {
                p.json(JobView.of(job.describe()));
            } else {
                p.line(job.id());
            }
            return ExitCodes.OK;
        }
        new AttachedRun(job, p, json).await(noCleanup ? Cleanup.NONE : Cleanup.ALL);
        return ExitCodes.OK;
    }

    /** The objects a real submit would create, printed; nothing is created, built or written. */
    private int dryRun(List<Path> entries, JobOptions options, Printer p, boolean json) {
        try (KineticSession kinetic = root().openSession(spec)) {
            List<Map<String, Object>> objects = kinetic.remoteMain(mainClass, args)
                    .options(options.toBuilder().classpath(entries).build())
                    .dryRun();
            if (json) {
                p.json(Manifests.list(objects));
            } else {
                p.out().print(Manifests.yaml(objects));
                p.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    /** The -o value, checked against --dry-run: table|json for a submit, yaml|json for a dry run. */
    private String outputFormat() {
        String f = format == null ? (dryRun ? "yaml" : "table") : format.toLowerCase(java.util.Locale.ROOT);
        boolean valid = dryRun ? f.equals("yaml") || f.equals("json") : f.equals("table") || f.equals("json");
        if (!valid) {
            throw usage("-o " + format + ": "
                    + (dryRun ? "a dry run prints yaml or json" : "use table or json (" + "yaml is for --dry-run)"));
        }
        return f;
    }

    private List<Path> validatedClasspath() {
        try {
            return ClasspathArgument.parse(classpath);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private JobOptions options() {
        Accelerator parsed;
        try {
            parsed = AcceleratorCatalog.builtIn().parse(accelerator);
        } catch (KineticException e) {
            throw usage(e.getMessage());
        }
        if (hosts != null && hosts < 1) {
            throw usage("--hosts needs a count of 1 or more, got " + hosts);
        }
        if (hosts != null && parsed.kind().equals("tpu") && hosts != parsed.hosts()) {
            throw usage("--hosts " + hosts + ": accelerator '" + accelerator + "' is a TPU slice of " + parsed.hosts()
                    + " host" + (parsed.hosts() == 1 ? "" : "s") + " (" + parsed.topology() + "); leave --hosts out or "
                    + "set it to " + parsed.hosts() + ", or pick a slice of " + hosts
                    + " hosts (see `kinetic accelerators`)");
        }
        for (String name : env) {
            if (!name.endsWith("*") && root().environment().get(name) == null) {
                throw usage("--env " + name + ": it is not set in this environment; set it, or pass it as a pattern ("
                        + name + "*) to make it optional");
            }
        }
        try {
            JobOptions.Builder builder = JobOptions.builder();
            if (hosts != null) {
                builder.hosts(hosts);
            }
            if (timeout != null) {
                builder.timeout(timeLimit());
            }
            return builder.accelerator(accelerator)
                    .captureEnv(env.toArray(new String[0]))
                    .labels(labels)
                    .jvmArgs(jvmArgs.toArray(new String[0]))
                    .displayName(simpleName(mainClass))
                    .idempotencyKey(idempotencyKey)
                    .build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** {@code --timeout} as a duration; a usage error (exit 2) names a value that is none, or not above zero. */
    private java.time.Duration timeLimit() {
        java.time.Duration limit;
        try {
            limit = DurationText.parse(timeout);
        } catch (IllegalArgumentException e) {
            throw usage("--timeout " + e.getMessage());
        }
        if (limit.isZero() || limit.isNegative()) {
            throw usage("--timeout must be longer than zero, got '" + timeout + "'; e.g. 90m or 2h");
        }
        return limit;
    }

    /** The job id's function part: the main class's simple name, as spark-submit names applications. */
    static String simpleName(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        simple = simple.substring(simple.lastIndexOf('$') + 1);
        return simple.isBlank() ? className : simple;
    }
}
