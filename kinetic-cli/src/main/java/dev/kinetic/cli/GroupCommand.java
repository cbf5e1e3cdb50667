package dev.kinetic.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code kinetic jobs}, {@code kinetic profile}): run alone, it is a
 * usage error that names the subcommands, rather than silently printing nothing.
 */
@Command // no attributes: it lets picocli's annotation processor accept the @Spec field here
abstract class GroupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "'" + spec.qualifiedName() + "' needs a subcommand: "
                        + String.join(
                                ", ",
                                spec.subcommands().keySet().stream()
                                        .filter(n -> !n.equals("help"))
                                        .toList()));
    }
}
