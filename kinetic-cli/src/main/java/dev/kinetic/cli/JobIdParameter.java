package dev.kinetic.cli;

import picocli.CommandLine.Parameters;

/** The job id every {@code kinetic jobs} subcommand but list takes. */
public final class JobIdParameter {
    @Parameters(
            index = "0",
            paramLabel = "JOB_ID",
            description = "The job's id, as printed by `kinetic submit --detach` or `kinetic jobs list`.")
    String id;

    public String id() {
        return id;
    }
}
