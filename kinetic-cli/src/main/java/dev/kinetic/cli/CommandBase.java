package dev.kinetic.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What every command that does something shares: the root's context, the printer, usage errors. */
@Command // no attributes: it lets picocli's annotation processor accept the @Spec field here
abstract class CommandBase implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The root command, which holds the global options, environment, terminal and clock. */
    KineticCommand root() {
        return (KineticCommand) spec.root().userObject();
    }

    Printer printer() {
        return new Printer(spec.commandLine().getOut(), spec.commandLine().getErr(), root().terminal(), root().clock());
    }

    /** A usage error (exit 2) on this command. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
