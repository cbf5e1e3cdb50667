package dev.kinetic.cli;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.JobOptions;
import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import dev.kinetic.spi.accelerator.Accelerator;
import dev.kinetic.spi.accelerator.AcceleratorCatalog;
import dev.kinetic.ui.view.JobView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
                    + "stderr."
        },
        footer = {
            "",
            "Example: kinetic submit --detach --accelerator l4 --classpath app.jar:lib/* "
                    + "--main com.example.Train -- --epochs 3",
            "Multi-host: kinetic submit --detach --hosts 4 --classpath app.jar --main com.example.AllReduce"
        })
public final class SubmitCommand extends CommandBase {
    @Mixin
    OutputOption output;

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
        List<Path> entries = validatedClasspath();
        JobOptions options = options();
        Printer p = printer();
        try (KineticSession kinetic = root().openSession(spec)) {
            if (p.terminal().stderr()) {
                kinetic.onTransfer(new ProgressBar(p.err()));
            }
            JobHandle<Void> job = kinetic.remoteMain(mainClass, args)
                    .options(options.toBuilder().classpath(entries).build())
                    .runAsync();
            if (detach) {
                if (output.json()) {
                    p.json(JobView.of(job.describe()));
                } else {
                    p.line(job.id());
                }
                return ExitCodes.OK;
            }
            new AttachedRun(job, p, output.json()).await(noCleanup ? Cleanup.NONE : Cleanup.ALL);
            return ExitCodes.OK;
        }
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
