package dev.kinetic.internal.batch;

import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A batch's create-only claims ({@code groups/<id>/children/<index>/<attempt>}, each naming the job id the attempt
 * runs as). Taking a claim is how a worker (or an older version's submitter) gets an input: only one {@code
 * putIfAbsent} of a claim wins. A claim never changes, so each is read once.
 */
public final class Claims {
    private final String batchId;
    private final BlobStore store;
    /** Claim key to job id. */
    private final Map<String, String> read = new ConcurrentHashMap<>();

    public Claims(String batchId, BlobStore store) {
        this.batchId = batchId;
        this.store = store;
    }

    /** Input {@code index}'s attempt {@code attempt} runs (or ran) as job {@code jobId}. */
    public record Claim(int attempt, String jobId) {}

    /** The latest attempt's claim per input index, from one listing. */
    public Map<Integer, Claim> latest() {
        Map<Integer, Claim> out = new LinkedHashMap<>();
        String prefix = BatchLayout.claimPrefix(batchId);
        for (BlobInfo b : store.list(prefix)) {
            String[] parts = b.key().substring(prefix.length()).split("/");
            if (parts.length != 2) {
                continue; // not a claim (a temporary file of a store that writes through one)
            }
            int index = Integer.parseInt(parts[0]);
            int attempt = Integer.parseInt(parts[1]);
            Claim existing = out.get(index);
            if (existing == null || existing.attempt() < attempt) {
                String jobId = read.get(b.key());
                if (jobId == null) {
                    jobId = store.get(b.key())
                            .map(x -> new String(x, StandardCharsets.UTF_8))
                            .orElse(null);
                    if (jobId != null) {
                        read.put(b.key(), jobId);
                    }
                }
                if (jobId != null) {
                    out.put(index, new Claim(attempt, jobId));
                }
            }
        }
        return out;
    }

    /** Every attempt's job id, earlier attempts included. */
    public java.util.List<String> allJobIds() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (BlobInfo b : store.list(BatchLayout.claimPrefix(batchId))) {
            String jobId = read.get(b.key());
            if (jobId == null) {
                jobId = store.get(b.key())
                        .map(x -> new String(x, StandardCharsets.UTF_8))
                        .orElse(null);
            }
            if (jobId != null) {
                out.add(jobId);
            }
        }
        return out;
    }

    /** Takes input {@code index}'s attempt {@code attempt} for job {@code jobId}; false if someone else has it. */
    public boolean take(int index, int attempt, String jobId) {
        String key = BatchLayout.claim(batchId, index, attempt);
        if (store.putIfAbsent(key, jobId.getBytes(StandardCharsets.UTF_8))) {
            read.put(key, jobId);
            return true;
        }
        return false;
    }
}
