package dev.kinetic.image;

import dev.kinetic.KineticException;

/**
 * The runtime image could not be resolved, built or pushed. The message names the registry or image and says
 * what to do (log in, start the registry, allow plain HTTP, fix the reference).
 */
public class ImageException extends KineticException {
    private static final long serialVersionUID = 1L;

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
