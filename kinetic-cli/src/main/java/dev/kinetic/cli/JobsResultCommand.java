package dev.kinetic.cli;

import dev.kinetic.Cleanup;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.ResultValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinetic jobs result <id>}: waits for the job and prints its value. */
@Command(
        name = "result",
        mixinStandardHelpOptions = true,
        header = "Wait for a job to end and print its result.",
        description = {
            "Prints the value as JSON where Jackson can write it, else its toString(). On success the "
                    + "job's backend resource and stored artifacts are deleted unless --no-cleanup; a failed job keeps "
                    + "everything.",
            "With -o json: {\"id\", \"status\", \"type\", \"format\" (json or toString), \"value\"}.",
            "Exit codes: 0 succeeded, 1 failed (remote stack trace on stderr), 3 no such job, 4 cancelled, "
                    + "124 still running after --timeout (the job keeps running)."
        })
public final class JobsResultCommand extends CommandBase {
    @Mixin
    JobIdParameter job;

    @Mixin
    OutputOption output;

    @Mixin
    TimeoutOption waitLimit;

    @Option(
            names = "--no-cleanup",
            description = "Keep the job's backend resource and stored artifacts after reading the result.")
    boolean noCleanup;

    @Option(
            names = {"-cp", "--classpath"},
            paramLabel = "CP",
            description = "Jars and class directories with the classes of the result (or of the exception), when "
                    + "they are your own; separated by ':', 'dir/*' for every jar in dir.")
    String classpath;

    @Override
    public Integer call() {
        Duration timeout = waitLimit.timeout(this::usage);
        Object value;
        String id;
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (KineticSession kinetic = root().openSession(spec);
                URLClassLoader loader = ResultClassLoader.of(classpath, this::usage)) {
            kinetic.onStatusChange(PendingNotes.to(printer()));
            var handle = kinetic.attach(job.id());
            id = handle.id();
            // The handle deserializes with the context class loader.
            Thread.currentThread().setContextClassLoader(loader);
            // Failure, cancellation, timeout and absence are exceptions, mapped to exit codes by FailureHandler.
            value = handle.result(timeout, noCleanup ? Cleanup.NONE : Cleanup.ALL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        ResultValue result = ResultValue.of(value);
        Printer p = printer();
        if (output.json()) {
            p.json(result.document(id));
        } else {
            p.line(result.text());
        }
        return ExitCodes.OK;
    }
}
