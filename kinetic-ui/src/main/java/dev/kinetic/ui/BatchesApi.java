package dev.kinetic.ui;

import dev.kinetic.BatchHandle;
import dev.kinetic.JobHandle;
import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.BatchInputView;
import dev.kinetic.ui.view.BatchView;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The batch views under {@code /api/batches}. */
final class BatchesApi {
    private static final Logger LOG = LoggerFactory.getLogger(BatchesApi.class);

    private final KineticSession kinetic;

    BatchesApi(KineticSession kinetic) {
        this.kinetic = kinetic;
    }

    /** Every batch with its counts, in id order, as {@code kinetic batches list -o json}. */
    void list(Context ctx) {
        List<Map<String, Object>> batches = new ArrayList<>();
        for (String id : kinetic.listBatches().stream().sorted().toList()) {
            try {
                batches.add(BatchView.document(id, kinetic.attachBatch(id).statusCounts()));
            } catch (KineticException e) {
                // One broken or vanishing batch must not hide the others.
                LOG.warn("skipping batch {}: {}", id, e.getMessage());
            }
        }
        Responses.json(ctx, batches);
    }

    void status(Context ctx) {
        BatchHandle<Object> batch = attach(ctx);
        Responses.json(ctx, BatchView.document(batch.id(), batch.statusCounts()));
    }

    /** Each input's latest job and its status, in input order. */
    void inputs(Context ctx) {
        BatchHandle<Object> batch = attach(ctx);
        List<Optional<JobHandle<Object>>> jobs = batch.jobs();
        List<BatchInputView> inputs = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            Optional<JobHandle<Object>> job = jobs.get(i);
            inputs.add(
                    job.isPresent()
                            ? new BatchInputView(
                                    i, job.get().id(), job.get().status().name())
                            : new BatchInputView(i, null, BatchInputView.NOT_SUBMITTED));
        }
        Responses.json(ctx, inputs);
    }

    private BatchHandle<Object> attach(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            return kinetic.attachBatch(id);
        } catch (KineticException e) {
            // The core has no exception type of its own for this; its messages are the only signal (as in the CLI).
            String message = String.valueOf(e.getMessage());
            if (message.contains("not a batch id")) {
                throw new ApiError(HttpStatus.BAD_REQUEST, message);
            }
            if (message.contains("no batch")) {
                throw new ApiError(HttpStatus.NOT_FOUND, message);
            }
            throw e;
        }
    }
}
