package dev.kinetic.spi.store;

import dev.kinetic.KineticException;

/** A store could not be reached or an operation on it failed. The message names the store and key. */
public class StoreException extends KineticException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
