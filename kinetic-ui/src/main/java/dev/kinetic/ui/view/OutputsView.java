package dev.kinetic.ui.view;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kinetic.JobHandle.OutputFile;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The files a job wrote under {@code KINETIC_OUTPUT_DIR}: {@code kinetic jobs outputs -o json} and
 * {@code GET /api/jobs/<id>/outputs}.
 *
 * @param id the job id
 * @param outputs the files, by path
 */
@JsonPropertyOrder({"id", "outputs"})
public record OutputsView(String id, List<File> outputs) {
    public OutputsView {
        outputs = List.copyOf(outputs);
    }

    /** The view of {@code files}, sorted by path. */
    public static OutputsView of(String id, List<OutputFile> files) {
        return new OutputsView(
                id,
                files.stream()
                        .sorted(Comparator.comparing(OutputFile::path))
                        .map(f -> new File(f.path(), f.size(), f.lastModified()))
                        .toList());
    }

    /**
     * One output file.
     *
     * @param path relative to the output directory, {@code /}-separated
     * @param size in bytes
     * @param lastModified when the store received it
     */
    @JsonPropertyOrder({"path", "size", "lastModified"})
    public record File(String path, long size, Instant lastModified) {}
}
