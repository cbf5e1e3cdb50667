package dev.kinetic.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code kinetic setup ...}: creates or prints what a store or cluster needs before the first job. */
@Command(
        name = "setup",
        mixinStandardHelpOptions = true,
        header = "Prepare a store or a cluster for Kinetic.",
        subcommands = {SetupStoreCommand.class, HelpCommand.class})
public final class SetupCommand extends GroupCommand {}
