package dev.kinetic.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code kinetic setup ...}: create what a backend needs before the first job. */
@Command(
        name = "setup",
        mixinStandardHelpOptions = true,
        header = "Create what a backend needs before the first job (kinetic setup kubernetes).",
        subcommands = {SetupKubernetesCommand.class, HelpCommand.class})
public final class SetupCommand extends GroupCommand {}
