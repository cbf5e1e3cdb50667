package dev.kinetic.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code kinetic batches ...}: the operations of a batch handle (one function over many inputs), by batch id. */
@Command(
        name = "batches",
        mixinStandardHelpOptions = true,
        header = "List batches and, by id, read status and results, cancel, clean up, resume submission.",
        description = {
            "A batch is one function fanned out over many inputs (remote(f).runAsyncMap(inputs) in Java); "
                    + "each input runs as its own job. Works from any process that sees the same store (profile or --store).",
            "An unknown or malformed batch id exits 3."
        },
        subcommands = {
            BatchesListCommand.class,
            BatchesStatusCommand.class,
            BatchesResultsCommand.class,
            BatchesCancelCommand.class,
            BatchesCleanupCommand.class,
            BatchesResumeCommand.class,
            HelpCommand.class
        })
public final class BatchesCommand extends GroupCommand {}
