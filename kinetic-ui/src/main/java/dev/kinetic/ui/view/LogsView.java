package dev.kinetic.ui.view;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A job's log lines: {@code kinetic jobs logs -o json} and {@code GET /api/jobs/<id>/logs}.
 *
 * @param id the job id
 * @param lines the lines, oldest first
 */
@JsonPropertyOrder({"id", "lines"})
public record LogsView(String id, List<String> lines) {
    public LogsView {
        lines = List.copyOf(lines);
    }
}
