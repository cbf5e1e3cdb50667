package dev.kinetic.ui;

import dev.kinetic.JobNotFoundException;
import dev.kinetic.KineticSession;
import dev.kinetic.spi.store.BlobStore;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every path the dashboard answers. Pages are fixed HTML that fetch their data from {@code /api/...}, whose documents
 * are the CLI's {@code -o json} views:
 * <pre>
 * GET  /api/jobs[?status=S&amp;label=K=V&amp;q=TEXT&amp;limit=N]  kinetic jobs list -o json
 * GET  /api/jobs/ID                                     kinetic jobs status ID -o json
 * GET  /api/jobs/ID/logs[?tail=N]                       kinetic jobs logs ID [--tail N] -o json
 * GET  /api/jobs/ID/logs/stream                         the log as Server-Sent Events, from the start, live
 * GET  /api/jobs/ID/outputs                             kinetic jobs outputs ID -o json
 * GET  /api/jobs/ID/outputs/PATH                        one output file, as a download
 * GET  /api/jobs/ID/result                              kinetic jobs result ID --no-cleanup -o json (JDK types only)
 * GET  /api/jobs/ID/record                              the stored record (job.json): options, labels, classpath
 * GET  /api/jobs/ID/failure                             the recorded failure with the remote stack trace
 * POST /api/jobs/ID/cancel                              kinetic jobs cancel ID -o json
 * POST /api/jobs/ID/cleanup                             kinetic jobs cleanup ID -o json
 * GET  /api/batches                                     kinetic batches list -o json
 * GET  /api/batches/ID                                  kinetic batches status ID -o json
 * GET  /api/batches/ID/inputs                           each input's latest job and its status
 * GET  /api/csrf                                        {"csrfToken": ...}, for scripts that POST
 * </pre>
 */
final class Routes {
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

    private final AccessGuard guard;
    private final JobsApi jobs;
    private final BatchesApi batches;
    private final Pages pages;
    private final LogStreams logStreams;

    Routes(KineticSession kinetic, BlobStore store, AccessGuard guard, LogStreams logStreams) {
        this.guard = guard;
        this.jobs = new JobsApi(kinetic, store);
        this.batches = new BatchesApi(kinetic);
        this.pages = new Pages(guard);
        this.logStreams = logStreams;
    }

    void register(JavalinConfig config) {
        RoutesConfig r = config.routes;
        r.before(guard::check);

        r.get("/", pages::jobs);
        r.get("/jobs/{id}", pages::job);
        r.get("/batches", pages::batches);
        r.get("/batches/{id}", pages::batch);
        r.get("/static/{file}", pages::asset);

        r.get("/api/csrf", ctx -> Responses.json(ctx, Map.of("csrfToken", guard.csrfToken())));
        r.get("/api/jobs", jobs::list);
        r.get("/api/jobs/{id}", jobs::status);
        r.get("/api/jobs/{id}/logs", jobs::logs);
        r.sse("/api/jobs/{id}/logs/stream", client -> logStreams.stream(client, () -> jobs.attach(client.ctx())));
        r.get("/api/jobs/{id}/outputs", jobs::outputs);
        r.get("/api/jobs/{id}/outputs/<path>", jobs::download);
        r.get("/api/jobs/{id}/result", jobs::result);
        r.get("/api/jobs/{id}/record", jobs::record);
        r.get("/api/jobs/{id}/failure", jobs::failure);
        r.post("/api/jobs/{id}/cancel", jobs::cancel);
        r.post("/api/jobs/{id}/cleanup", jobs::cleanup);
        r.get("/api/batches", batches::list);
        r.get("/api/batches/{id}", batches::status);
        r.get("/api/batches/{id}/inputs", batches::inputs);

        r.exception(ApiError.class, (e, ctx) -> Responses.error(ctx, e.status(), e.getMessage()));
        r.exception(
                HttpResponseException.class,
                (e, ctx) -> Responses.error(ctx, HttpStatus.forStatus(e.getStatus()), e.getMessage()));
        r.exception(JobNotFoundException.class, (e, ctx) -> Responses.error(ctx, HttpStatus.NOT_FOUND, e.getMessage()));
        r.exception(
                IllegalArgumentException.class,
                (e, ctx) -> Responses.error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
        r.exception(Exception.class, (e, ctx) -> {
            LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
            Responses.error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, String.valueOf(e.getMessage()));
        });
    }
}
