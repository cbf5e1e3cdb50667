package dev.kinetic.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code kinetic jobs ...}: the operations of a job handle, each taking a job id. */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        header = "List jobs and, by id, read status, logs, result and outputs, cancel, clean up.",
        description = "Works from any process and machine that sees the same store (profile or --store).",
        subcommands = {
            JobsListCommand.class,
            JobsStatusCommand.class,
            JobsLogsCommand.class,
            JobsResultCommand.class,
            JobsCancelCommand.class,
            JobsCleanupCommand.class,
            JobsOutputsCommand.class,
            HelpCommand.class
        })
public final class JobsCommand extends GroupCommand {}
