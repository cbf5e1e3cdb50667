package dev.kinetic.internal.gc;

import dev.kinetic.KineticException;
import dev.kinetic.internal.batch.BatchLayout;
import dev.kinetic.internal.batch.BatchManifest;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.store.BlobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The batches in a store, split into those to collect (created before the cutoff, with no job of theirs left) and
 * those to keep (whose manifests reference {@code cas/} objects).
 */
final class Batches {
    private final List<String> ended;
    private final List<BatchManifest> kept;

    private Batches(List<String> ended, List<BatchManifest> kept) {
        this.ended = ended;
        this.kept = kept;
    }

    /**
     * @param remaining the jobs that stay: a batch with one of them stays too
     * @param cutoff batches created before this may go
     */
    static Batches scan(BlobStore store, List<JobRecord> remaining, Instant cutoff) {
        Set<String> live = new HashSet<>();
        for (JobRecord r : remaining) {
            if (r.groupId() != null) {
                live.add(r.groupId());
            }
        }
        List<String> ended = new ArrayList<>();
        List<BatchManifest> kept = new ArrayList<>();
        for (String prefix : store.listPrefixes(BatchLayout.GROUPS)) {
            String id = prefix.substring(BatchLayout.GROUPS.length(), prefix.length() - 1);
            Optional<BatchManifest> manifest = read(store, id);
            if (manifest.isEmpty()) {
                continue; // being written, or damaged: neither collected nor a source of references
            }
            if (!live.contains(id) && manifest.get().createdAt().isBefore(cutoff)) {
                ended.add(id);
            } else {
                kept.add(manifest.get());
            }
        }
        return new Batches(ended, kept);
    }

    private static Optional<BatchManifest> read(BlobStore store, String id) {
        try {
            return store.get(BatchLayout.manifest(id))
                    .map(json -> BatchManifest.fromJson(json, BatchLayout.manifest(id)));
        } catch (KineticException damaged) {
            return Optional.empty();
        }
    }

    List<String> ended() {
        return List.copyOf(ended);
    }

    List<BatchManifest> kept() {
        return List.copyOf(kept);
    }

    void deleteEnded(BlobStore store) {
        for (String id : ended) {
            store.deletePrefix(BatchLayout.prefix(id));
        }
    }
}
