package dev.kinetic;

import java.util.List;

/**
 * Stands in for a remote exception whose class does not load here or was refused by the deserialization
 * filter. It carries the remote type name, message and stack frames.
 */
public class RemoteException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String remoteType;

    public RemoteException(String remoteType, String message, List<StackTraceElement> frames) {
        super(remoteType + (message == null ? "" : ": " + message));
        this.remoteType = remoteType;
        setStackTrace(frames.toArray(new StackTraceElement[0]));
    }

    /** The fully qualified class name of the exception the function threw. */
    public String remoteType() {
        return remoteType;
    }
}
