package dev.kinetic.ui.view;

import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.JobStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A batch's status as {@code kinetic batches list|status -o json} prints it and {@code kinetic ui} serves it under
 * {@code /api/batches}: {@code id}, {@code size}, {@code notSubmitted}, {@code counts}
 * (every status, zeros included, so scripts can read {@code .counts.FAILED}), {@code done}, and the workers' view:
 * {@code workersAlive}, {@code queued}, {@code running}, {@code finished}. A contract with scripts: add fields, never
 * rename or remove one.
 */
public final class BatchView {
    private BatchView() {}

    public static Map<String, Object> document(String id, BatchCounts counts) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", id);
        doc.put("size", counts.size());
        doc.put("notSubmitted", counts.notSubmitted());
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        for (JobStatus s : JobStatus.values()) {
            byStatus.put(s.name(), counts.count(s));
        }
        doc.put("counts", byStatus);
        doc.put("done", counts.done());
        doc.put("workersAlive", counts.workersAlive());
        doc.put("queued", counts.queued());
        doc.put("running", counts.running());
        doc.put("finished", counts.finished());
        return doc;
    }

    /** "2 SUCCEEDED, 1 FAILED, 1 not submitted": the non-zero counts, for messages and tables. */
    public static String summary(BatchCounts counts) {
        StringBuilder text = new StringBuilder();
        for (JobStatus s : JobStatus.values()) {
            if (counts.count(s) > 0) {
                text.append(text.isEmpty() ? "" : ", ")
                        .append(counts.count(s))
                        .append(' ')
                        .append(s.name());
            }
        }
        if (counts.notSubmitted() > 0) {
            text.append(text.isEmpty() ? "" : ", ")
                    .append(counts.notSubmitted())
                    .append(" not submitted");
        }
        return text.isEmpty() ? "no inputs" : text.toString();
    }
}
