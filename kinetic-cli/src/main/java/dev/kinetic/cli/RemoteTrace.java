package dev.kinetic.cli;

import dev.kinetic.JobFailedException;
import dev.kinetic.JobFailedException.RemoteException;
import java.io.PrintWriter;

/** Prints the exception a job's function threw, with its remote stack trace, as the JVM would have. */
final class RemoteTrace {
    private RemoteTrace() {}

    static void print(JobFailedException failed, PrintWriter err) {
        Throwable remote = failed.getCause();
        if (remote == null) {
            return; // it failed outside the function (killed, artifact missing): the reason says it all
        }
        err.println("Remote stack trace:");
        if (remote instanceof RemoteException r) {
            // Its class did not load here: print the remote type, not RemoteException's own name.
            err.println(r.getMessage());
            for (StackTraceElement frame : r.getStackTrace()) {
                err.println("\tat " + frame);
            }
        } else {
            remote.printStackTrace(err);
        }
        err.flush();
    }
}
