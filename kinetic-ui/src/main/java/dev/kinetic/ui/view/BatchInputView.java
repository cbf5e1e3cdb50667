package dev.kinetic.ui.view;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One input of a batch and its latest job: {@code GET /api/batches/<id>/inputs}.
 *
 * @param index the input's index
 * @param jobId its latest job, or {@code null} while it has none
 * @param status that job's status, or {@code NOT_SUBMITTED}
 */
@JsonPropertyOrder({"index", "jobId", "status"})
public record BatchInputView(int index, String jobId, String status) {
    /** The status of an input that has no job yet. */
    public static final String NOT_SUBMITTED = "NOT_SUBMITTED";
}
