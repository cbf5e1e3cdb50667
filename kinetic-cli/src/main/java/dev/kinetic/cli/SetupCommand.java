package dev.kinetic.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code kinetic setup ...}: creates or prints what a cluster or a store needs before the first job. */
@Command(
        name = "setup",
        mixinStandardHelpOptions = true,
        header = "Prepare a cluster or a store for Kinetic (kinetic setup kubernetes, kinetic setup store).",
        subcommands = {SetupKubernetesCommand.class, SetupStoreCommand.class, HelpCommand.class})
public final class SetupCommand extends GroupCommand {}
