package dev.kinetic.internal.agent;

import dev.kinetic.spi.store.BlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Copies the task's {@code KINETIC_OUTPUT_DIR} to the store's output prefix: files that are new or changed
 * since the last sync (by size and modification time). Run at an interval and at exit, so checkpoints survive
 * a killed job.
 */
public final class OutputSync {
    private final Path dir;
    private final BlobStore store;
    private final String prefix;
    private final Map<Path, String> synced = new HashMap<>();

    public OutputSync(Path dir, BlobStore store, String prefix) {
        this.dir = dir;
        this.store = store;
        this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /**
     * Downloads what the output prefix already holds (checkpoints of an earlier job sharing it), so a task can
     * resume from them; returns how many files were restored. Files restored count as synced.
     */
    public synchronized int restore() throws IOException {
        int restored = 0;
        for (dev.kinetic.spi.store.BlobInfo b : store.list(prefix)) {
            String rel = b.key().substring(prefix.length());
            try {
                dev.kinetic.spi.store.StoreKeys.validate(rel);
            } catch (IllegalArgumentException unsafe) {
                continue; // never write outside the output directory
            }
            Path target = dir.resolve(rel);
            store.download(b.key(), target, dev.kinetic.spi.store.TransferListener.NONE);
            BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class);
            synced.put(target, a.size() + "|" + a.lastModifiedTime().toMillis());
            restored++;
        }
        return restored;
    }

    /** Uploads what changed; returns how many files were uploaded. */
    public synchronized int sync() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (java.util.Iterator<Path> it = walk.iterator(); it.hasNext(); ) {
                Path p = it.next();
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        java.util.Collections.sort(files);
        int uploaded = 0;
        for (Path f : files) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(f, BasicFileAttributes.class);
            } catch (java.nio.file.NoSuchFileException e) {
                continue;
            }
            String stamp = a.size() + "|" + a.lastModifiedTime().toMillis();
            if (stamp.equals(synced.get(f))) {
                continue;
            }
            String rel = dir.relativize(f).toString().replace('\\', '/');
            store.put(prefix + rel, f);
            synced.put(f, stamp);
            uploaded++;
        }
        return uploaded;
    }
}
