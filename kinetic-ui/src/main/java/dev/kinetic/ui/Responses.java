package dev.kinetic.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kinetic.ui.view.ViewJson;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the dashboard answers: views as JSON written by the CLI's own mapper, errors as {@code {"error": ...}}. */
final class Responses {
    static final String JSON = "application/json; charset=utf-8";

    /** One line per document: the log stream sends each as one event's data. */
    static final ObjectWriter COMPACT = ViewJson.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private Responses() {}

    static void json(Context ctx, Object view) {
        ctx.contentType(JSON).result(write(view));
    }

    static String write(Object view) {
        try {
            return COMPACT.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + view.getClass().getName() + " as JSON", e);
        }
    }

    /**
     * An error: JSON for {@code /api/...} and for scripts, a plain-text page for a browser. Plain text, not HTML, so
     * nothing in a message (a job id someone typed) can become markup.
     */
    static void error(Context ctx, HttpStatus status, String message) {
        ctx.status(status);
        if (ctx.path().startsWith("/api/")) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("error", message);
            doc.put("status", status.getCode());
            json(ctx, doc);
        } else {
            ctx.contentType("text/plain; charset=utf-8")
                    .result(status.getCode() + " " + status.getMessage() + "\n\n" + message + "\n");
        }
    }
}
