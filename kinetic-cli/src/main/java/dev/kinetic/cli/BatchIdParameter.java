package dev.kinetic.cli;

import picocli.CommandLine.Parameters;

/** The batch id every {@code kinetic batches} subcommand but list takes. */
public final class BatchIdParameter {
    @Parameters(
            index = "0",
            paramLabel = "BATCH_ID",
            description =
                    "The batch's id (grp- and 8 hex digits), as BatchHandle.id() returns it or `kinetic batches list` prints it.")
    String id;

    public String id() {
        return id;
    }
}
