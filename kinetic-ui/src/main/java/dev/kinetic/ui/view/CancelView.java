package dev.kinetic.ui.view;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a cancel did: {@code kinetic jobs cancel -o json} and {@code POST /api/jobs/<id>/cancel}.
 *
 * @param id the job id
 * @param cancelled whether the job was pending or running and is now cancelled ({@code false}: it had ended)
 * @param status the status afterwards
 */
@JsonPropertyOrder({"id", "cancelled", "status"})
public record CancelView(String id, boolean cancelled, String status) {}
