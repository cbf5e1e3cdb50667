package dev.kinetic.cli;

import dev.kinetic.KineticException;

/** No batch with this id in the configured store, or not a batch id at all: exit 3, like a missing job. */
final class BatchNotFoundException extends KineticException {
    private static final long serialVersionUID = 1L;

    BatchNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
