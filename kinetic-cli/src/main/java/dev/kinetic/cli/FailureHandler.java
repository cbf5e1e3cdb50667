package dev.kinetic.cli;

import dev.kinetic.JobCancelledException;
import dev.kinetic.JobFailedException;
import dev.kinetic.JobNotFoundException;
import dev.kinetic.JobTimeoutException;
import dev.kinetic.KineticException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the library's exceptions into the exit-code contract: each message already says what to do, so it is
 * printed as it is, on stderr. Only an unexpected exception gets a stack trace.
 */
final class FailureHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        int code;
        if (ex instanceof JobNotFoundException || ex instanceof BatchNotFoundException) {
            code = ExitCodes.NOT_FOUND;
        } else if (ex instanceof JobCancelledException) {
            code = ExitCodes.CANCELLED;
        } else if (ex instanceof JobTimeoutException) {
            code = ExitCodes.TIMED_OUT;
        } else if (ex instanceof JobFailedException failed) {
            err.println("kinetic: " + failed.getMessage());
            RemoteTrace.print(failed, err);
            err.flush();
            return ExitCodes.FAILED;
        } else if (ex instanceof KineticException) {
            code = ExitCodes.FAILED;
        } else {
            err.println("kinetic: unexpected error (please report it with this trace): " + ex);
            ex.printStackTrace(err);
            err.flush();
            return ExitCodes.FAILED;
        }
        err.println("kinetic: " + ex.getMessage());
        err.flush();
        return code;
    }
}
