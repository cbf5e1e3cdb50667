package dev.kinetic.ui;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.JobHandle.OutputFile;
import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.ui.view.CancelView;
import dev.kinetic.ui.view.CleanupView;
import dev.kinetic.ui.view.JobView;
import dev.kinetic.ui.view.LogsView;
import dev.kinetic.ui.view.OutputsView;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** The job views under {@code /api/jobs}, and the two POSTs that change a job: cancel and clean up. */
final class JobsApi {
    /** The most log lines one request returns; the page asks for the tail, scripts may page with the CLI. */
    static final int MAX_TAIL = 100_000;

    /** Ended jobs' reasons remembered at most. */
    private static final int MAX_REASONS = 10_000;

    private final KineticSession kinetic;
    private final BlobStore store;
    private final Map<String, String> reasons = new ConcurrentHashMap<>();

    JobsApi(KineticSession kinetic, BlobStore store) {
        this.kinetic = kinetic;
        this.store = store;
    }

    /** The job named by the path; 404 if the store has no such job, 400 if it is not a job id. */
    JobHandle<Object> attach(Context ctx) {
        String id = ctx.pathParam("id");
        if (!JobId.isValid(id)) {
            throw new ApiError(
                    HttpStatus.BAD_REQUEST,
                    "'" + id + "' is not a job id (ids look like cpu-train-20261128-153012-3f9a1c2)");
        }
        return kinetic.attach(id);
    }

    /**
     * {@code GET /api/jobs?status=RUNNING&label=team=nlp&q=train&limit=50}: newest first, as {@code kinetic jobs list
     * -o json}, with ended jobs' reasons filled in.
     */
    void list(Context ctx) {
        JobStatus status = status(ctx.queryParam("status"));
        Map<String, String> labels = labels(ctx.queryParams("label"));
        String text = ctx.queryParam("q");
        int limit = limit(ctx.queryParam("limit"));
        Predicate<JobView> wanted = j -> (status == null || j.status().equals(status.name())) && matches(j, text);
        List<JobView> jobs = kinetic.listJobs(labels, 0).stream()
                .map(this::withReason)
                .filter(wanted)
                .limit(limit == 0 ? Long.MAX_VALUE : limit)
                .toList();
        Responses.json(ctx, jobs);
    }

    /**
     * The job's view, with the reason of an ended job that the listing left out: a listing is one read of the store
     * and does not open each job's outcome, but the jobs page shows why a job failed. An outcome never changes once
     * written, so each is read once.
     */
    private JobView withReason(JobInfo info) {
        JobView view = JobView.of(info);
        if (info.reason() != null || (info.status() != JobStatus.FAILED && info.status() != JobStatus.CANCELLED)) {
            return view;
        }
        String reason = reasons.computeIfAbsent(
                info.id(),
                id -> StoredOutcome.read(store, JobId.of(id))
                        .map(o -> o.path("reason").asText(""))
                        .orElse(""));
        if (reasons.size() > MAX_REASONS) {
            reasons.clear(); // a crude bound: re-reading is cheap, growing without end is not
        }
        return reason.isEmpty() ? view : view.withReason(reason);
    }

    void status(Context ctx) {
        JobInfo info = attach(ctx).describe();
        if (info.status() == JobStatus.NOT_FOUND) {
            throw new ApiError(
                    HttpStatus.NOT_FOUND, "job " + info.id() + " is gone from the backend and the store (cleaned up)");
        }
        Responses.json(ctx, JobView.of(info));
    }

    /** {@code GET /api/jobs/ID/logs?tail=N}: the last N lines (the whole log without {@code tail}, capped). */
    void logs(Context ctx) {
        JobHandle<Object> job = attach(ctx);
        String tail = ctx.queryParam("tail");
        int lines = tail == null ? MAX_TAIL : Math.min(MAX_TAIL, count("tail", tail));
        Responses.json(ctx, new LogsView(job.id(), job.tail(lines)));
    }

    void outputs(Context ctx) {
        JobHandle<Object> job = attach(ctx);
        Responses.json(ctx, OutputsView.of(job.id(), job.outputs()));
    }

    /**
     * {@code GET /api/jobs/ID/outputs/PATH}: streams one output file as a download. Only a path the job's output
     * listing holds is served (so nothing outside its outputs can be named), and always as an attachment of type
     * octet-stream, so an HTML file a job wrote never renders in the dashboard's origin.
     */
    void download(Context ctx) {
        JobHandle<Object> job = attach(ctx);
        String path = ctx.pathParam("path");
        boolean listed = job.outputs().stream().map(OutputFile::path).anyMatch(path::equals);
        if (!listed) {
            throw new ApiError(HttpStatus.NOT_FOUND, "job " + job.id() + " has no output " + path);
        }
        String name = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        ctx.contentType("application/octet-stream");
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        try (InputStream in = store.open(outputPrefix(job) + path);
                OutputStream out = ctx.outputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not send output " + path + " of job " + job.id(), e);
        }
    }

    /** {@code GET /api/jobs/ID/result}: the value, on request only, of JDK types only; see {@link ResultReader}. */
    void result(Context ctx) {
        JobHandle<Object> job = attach(ctx);
        JobStatus status = job.status();
        if (status != JobStatus.SUCCEEDED) {
            throw new ApiError(
                    HttpStatus.CONFLICT,
                    "job " + job.id() + " is " + status + "; only a job that SUCCEEDED has a result"
                            + (status == JobStatus.FAILED
                                    ? " (its failure is at /api/jobs/" + job.id() + "/failure)"
                                    : ""));
        }
        Responses.json(ctx, ResultReader.read(store, job.id()));
    }

    /** {@code GET /api/jobs/ID/record}: the stored record, the same document as {@code job.json}. */
    void record(Context ctx) {
        ctx.contentType(Responses.JSON).result(attach(ctx).toJson());
    }

    /** {@code GET /api/jobs/ID/failure}: read from the plain-JSON outcome; no Java object is deserialized. */
    void failure(Context ctx) {
        JobHandle<Object> job = attach(ctx);
        Responses.json(ctx, FailureReader.read(store, job.describe()));
    }

    void cancel(Context ctx) {
        JobHandle<Object> job = attach(ctx);
        boolean cancelled = job.cancel();
        Responses.json(
                ctx, new CancelView(job.id(), cancelled, job.describe().status().name()));
    }

    /** Deletes the backend resource and stored artifacts, as {@code kinetic jobs cleanup} does; outputs stay. */
    void cleanup(Context ctx) {
        JobHandle<Object> job = attach(ctx);
        job.cleanup(Cleanup.ALL);
        Responses.json(ctx, CleanupView.of(job.id(), Cleanup.ALL));
    }

    private String outputPrefix(JobHandle<Object> job) {
        JobRecord record = JobRecord.fromJson(job.toJson().getBytes(StandardCharsets.UTF_8), "job " + job.id());
        String prefix = record.outputPrefix() != null ? record.outputPrefix() : JobLayout.outputs(record.id());
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }

    private static JobStatus status(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return JobStatus.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiError(
                    HttpStatus.BAD_REQUEST,
                    "status '" + raw + "' is not one of " + Arrays.toString(JobStatus.values()));
        }
    }

    private static Map<String, String> labels(List<String> raw) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : raw) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ApiError(HttpStatus.BAD_REQUEST, "label '" + pair + "' must be KEY=VALUE, e.g. team=nlp");
            }
            labels.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return labels;
    }

    private static int limit(String raw) {
        return raw == null || raw.isEmpty() ? 0 : count("limit", raw);
    }

    private static int count(String name, String raw) {
        try {
            int n = Integer.parseInt(raw);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiError(HttpStatus.BAD_REQUEST, name + " must be a whole number of 0 or more, got '" + raw + "'");
    }

    /** The text filter: any of id, function, status, accelerator, reason, or a label's key or value contains it. */
    static boolean matches(JobView job, String text) {
        if (text == null || text.isBlank()) {
            return true;
        }
        String needle = text.trim().toLowerCase(Locale.ROOT);
        StringBuilder haystack = new StringBuilder()
                .append(job.id())
                .append('\n')
                .append(job.function())
                .append('\n')
                .append(job.status())
                .append('\n')
                .append(job.accelerator())
                .append('\n')
                .append(job.reason());
        job.labels()
                .forEach((k, v) -> haystack.append('\n').append(k).append('=').append(v));
        return haystack.toString().toLowerCase(Locale.ROOT).contains(needle);
    }
}
