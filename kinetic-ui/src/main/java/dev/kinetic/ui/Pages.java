package dev.kinetic.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The pages: fixed HTML with no data from the store in it. Each loads {@code app.js}, which fetches the views from
 * {@code /api/...} and puts every value into the page as text (never as markup), so a label
 * {@code <script>alert(1)</script>} shows as those characters. The only thing filled in on the server is the CSRF
 * token, which the server made itself.
 */
final class Pages {
    private static final String BASE = "/dev/kinetic/ui/web/";
    /** The static files there are, with their types; nothing else is served from the classpath. */
    private static final Map<String, String> ASSETS =
            Map.of("app.js", "text/javascript; charset=utf-8", "app.css", "text/css; charset=utf-8");

    private final AccessGuard guard;
    private final String layout;

    Pages(AccessGuard guard) {
        this.guard = guard;
        this.layout = resource("page.html");
    }

    void jobs(Context ctx) {
        page(ctx, "jobs", "Jobs");
    }

    void job(Context ctx) {
        page(ctx, "job", "Job");
    }

    void batches(Context ctx) {
        page(ctx, "batches", "Batches");
    }

    void batch(Context ctx) {
        page(ctx, "batch", "Batch");
    }

    void asset(Context ctx) {
        String file = ctx.pathParam("file");
        String type = ASSETS.get(file);
        if (type == null) {
            throw new ApiError(HttpStatus.NOT_FOUND, "no static file " + file);
        }
        ctx.contentType(type).result(resource(file));
    }

    private void page(Context ctx, String name, String title) {
        ctx.contentType("text/html; charset=utf-8")
                .result(layout.replace("{{page}}", name)
                        .replace("{{title}}", title)
                        .replace("{{csrf}}", guard.csrfToken()));
    }

    private static String resource(String name) {
        try (InputStream in = Pages.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("kinetic-ui is missing its resource " + BASE + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
