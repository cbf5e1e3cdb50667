package dev.kinetic.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code kinetic config ...}: the resolved settings. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        header = "Show the resolved settings.",
        subcommands = {ConfigShowCommand.class, HelpCommand.class})
public final class ConfigCommand extends GroupCommand {}
