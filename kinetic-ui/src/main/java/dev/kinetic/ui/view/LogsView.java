package dev.kinetic.ui.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A job's log lines: {@code kinetic jobs logs -o json} and {@code GET /api/jobs/<id>/logs}.
 *
 * @param id the job id
 * @param host the host the lines are from, for a multi-host job's {@code --host N}; absent otherwise
 * @param lines the lines, oldest first
 */
@JsonPropertyOrder({"id", "host", "lines"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogsView(String id, Integer host, List<String> lines) {
    public LogsView {
        lines = List.copyOf(lines);
    }

    public LogsView(String id, List<String> lines) {
        this(id, null, lines);
    }
}
