package dev.kinetic.cli;

import dev.kinetic.JobCancelledException;
import dev.kinetic.JobFailedException.RemoteException;
import dev.kinetic.JobNotFoundException;
import dev.kinetic.JobStatus;
import dev.kinetic.ui.view.ResultValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One input's slot of a batch's results: its value, or the failure the core put in its place
 * ({@code BatchHandle.results(timeout, ReturnExceptions.IN_PLACE)}).
 *
 * @param index the input's index
 * @param status SUCCEEDED, FAILED, CANCELLED (also an input never submitted) or NOT_FOUND (its job is gone)
 * @param value the value, when it succeeded
 * @param failure the cause, when it did not
 */
record InputOutcome(int index, JobStatus status, ResultValue value, Throwable failure) {

    static InputOutcome of(int index, Object slot) {
        if (!(slot instanceof Throwable t)) {
            return new InputOutcome(index, JobStatus.SUCCEEDED, ResultValue.of(slot), null);
        }
        JobStatus status = t instanceof JobCancelledException
                ? JobStatus.CANCELLED
                : t instanceof JobNotFoundException ? JobStatus.NOT_FOUND : JobStatus.FAILED;
        return new InputOutcome(index, status, null, t);
    }

    boolean succeeded() {
        return failure == null;
    }

    /** In a JSON array: the value (a JSON tree, or its toString()), or {@code {"error": type, "message": ...}}. */
    Object json() {
        if (succeeded()) {
            return value.json() != null ? value.json() : value.text();
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", errorType());
        error.put("message", errorMessage());
        return error;
    }

    /** What a person sees: compact JSON or toString(), or "type: message". */
    String text() {
        if (succeeded()) {
            return value.text();
        }
        return errorMessage() == null ? errorType() : errorType() + ": " + errorMessage();
    }

    /** The exception's class name; for one whose class did not load here, the remote class name. */
    String errorType() {
        return failure instanceof RemoteException r
                ? r.remoteType()
                : failure.getClass().getName();
    }

    String errorMessage() {
        String message = failure.getMessage();
        if (failure instanceof RemoteException r && message != null) {
            // RemoteException's message is "type: message", or "type" when there was none.
            String prefix = r.remoteType();
            if (message.equals(prefix)) {
                return null;
            }
            if (message.startsWith(prefix + ": ")) {
                return message.substring(prefix.length() + 2);
            }
        }
        return message;
    }
}
