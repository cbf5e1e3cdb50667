package dev.kinetic.ui.view;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kinetic.Cleanup;

/**
 * What a cleanup deleted: {@code kinetic jobs cleanup -o json} and {@code POST /api/jobs/<id>/cleanup}.
 *
 * @param id the job id
 * @param backend whether the backend resource was deleted
 * @param store whether the stored artifacts were deleted
 */
@JsonPropertyOrder({"id", "backend", "store"})
public record CleanupView(String id, boolean backend, boolean store) {
    public static CleanupView of(String id, Cleanup cleanup) {
        return new CleanupView(id, cleanup.backend(), cleanup.store());
    }
}
