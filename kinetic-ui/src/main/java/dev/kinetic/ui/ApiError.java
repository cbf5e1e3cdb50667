package dev.kinetic.ui;

import io.javalin.http.HttpStatus;

/** A request the dashboard refuses or cannot serve: its status and a message that says what to do. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient HttpStatus status;

    ApiError(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    HttpStatus status() {
        return status;
    }
}
