package dev.kinetic.internal.observe;

import dev.kinetic.JobHandle.OutputFile;
import dev.kinetic.JobNotFoundException;
import dev.kinetic.KineticException;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.TransferListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job's outputs found by its id alone, so they stay reachable after a full cleanup: the record says where they are
 * while it exists (a custom {@code outputDir} shared by several jobs is known only from it); once it is gone they are
 * read from the default prefix {@code outputs/<id>/}, which cleanup never deletes.
 */
public final class OutputsById {
    private final BlobStore store;
    private final TransferListener transfers;

    public OutputsById(BlobStore store, TransferListener transfers) {
        this.store = store;
        this.transfers = transfers;
    }

    /**
     * The files job {@code id} wrote under {@code KINETIC_OUTPUT_DIR}.
     *
     * @throws JobNotFoundException if the id is malformed, or the store has neither a record nor outputs of it
     */
    public List<OutputFile> list(String id) {
        JobId jobId = parse(id);
        Optional<String> prefix = recordedPrefix(jobId);
        List<OutputFile> files = list(store, prefix.orElse(JobLayout.outputs(jobId)));
        if (prefix.isEmpty() && files.isEmpty()) {
            throw notFound(id);
        }
        return files;
    }

    /**
     * Downloads job {@code id}'s outputs into {@code directory}, keeping their structure.
     *
     * @throws JobNotFoundException if the id is malformed, or the store has neither a record nor outputs of it
     */
    public List<Path> download(String id, Path directory) {
        JobId jobId = parse(id);
        Optional<String> prefix = recordedPrefix(jobId);
        String where = prefix.orElse(JobLayout.outputs(jobId));
        List<OutputFile> files = list(store, where);
        if (prefix.isEmpty() && files.isEmpty()) {
            throw notFound(id);
        }
        return download(store, id, where, files, directory, transfers);
    }

    /** The files under {@code prefix}, with paths relative to it. */
    static List<OutputFile> list(BlobStore store, String prefix) {
        String p = slash(prefix);
        List<OutputFile> out = new ArrayList<>();
        for (BlobInfo b : store.list(p)) {
            out.add(new OutputFile(b.key().substring(p.length()), b.size(), b.lastModified()));
        }
        return out;
    }

    /**
     * Downloads {@code files} (relative to {@code prefix}) into {@code directory}; refuses a name that would land
     * outside it.
     */
    static List<Path> download(
            BlobStore store,
            String id,
            String prefix,
            List<OutputFile> files,
            Path directory,
            TransferListener transfers) {
        String p = slash(prefix);
        Path root = directory.toAbsolutePath().normalize();
        List<Path> written = new ArrayList<>();
        for (OutputFile f : files) {
            Path target = root.resolve(f.path()).normalize();
            if (!target.startsWith(root)) {
                throw new KineticException(
                        id,
                        "output " + f.path() + " of job " + id + " would be written outside " + root + "; refusing it",
                        null);
            }
            store.download(p + f.path(), target, transfers);
            written.add(target);
        }
        return written;
    }

    /** The output prefix the job's record names, or empty when there is no record (cleaned up). */
    private Optional<String> recordedPrefix(JobId id) {
        String key = JobLayout.record(id);
        Optional<byte[]> json = store.get(key);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        JobRecord record = JobRecord.fromJson(json.get(), store.uri() + " " + key);
        return Optional.of(record.outputPrefix() != null ? record.outputPrefix() : JobLayout.outputs(id));
    }

    private JobId parse(String id) {
        try {
            return JobId.of(id);
        } catch (IllegalArgumentException e) {
            throw new JobNotFoundException(id, store.uri() + " (" + e.getMessage() + ")");
        }
    }

    private JobNotFoundException notFound(String id) {
        return new JobNotFoundException(
                id, "store " + store.uri() + " (neither a record nor outputs under " + "outputs/" + id + "/)");
    }

    private static String slash(String prefix) {
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }
}
