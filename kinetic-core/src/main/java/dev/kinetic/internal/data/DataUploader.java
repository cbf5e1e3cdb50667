package dev.kinetic.internal.data;

import dev.kinetic.KineticException;
import dev.kinetic.internal.protocol.JsonText;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.TransferListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Uploads a local file or directory content-addressed: each file under {@code cas/<sha256>}, the tree (names,
 * modes, sizes, hashes) under {@code cas/<tree sha256>}, and last a marker {@code data/<tree sha256>/complete}.
 * Only the marker means "uploaded": a crash mid-upload is never mistaken for a cache hit, and a second upload of
 * the same tree moves zero bytes.
 */
public final class DataUploader {
    private final BlobStore store;
    private final TransferListener listener;

    public DataUploader(BlobStore store, TransferListener listener) {
        this.store = store;
        this.listener = listener;
    }

    /** One file of a tree. */
    public record Entry(String path, String mode, long size, String sha256) {}

    public static String marker(String treeSha) {
        return JobLayout.dataMarker(treeSha);
    }

    /** Uploads what the store lacks and returns the tree's hash. */
    public String upload(Path source) {
        try {
            Path root = source.toRealPath();
            List<Path> files = files(root);
            List<Entry> entries = new ArrayList<>();
            boolean single = !Files.isDirectory(root);
            for (Path f : files) {
                String rel = single
                        ? root.getFileName().toString()
                        : root.relativize(f).toString().replace('\\', '/');
                entries.add(new Entry(rel, mode(f), Files.size(f), Hashing.sha256(f)));
            }
            byte[] tree = treeJson(entries);
            String treeSha = Hashing.sha256(tree);
            if (store.exists(marker(treeSha))) {
                return treeSha;
            }
            for (int i = 0; i < files.size(); i++) {
                String key = JobLayout.cas(entries.get(i).sha256());
                if (!store.exists(key)) {
                    store.put(key, files.get(i), listener);
                }
            }
            store.put(JobLayout.cas(treeSha), tree);
            store.put(marker(treeSha), new byte[0]);
            return treeSha;
        } catch (IOException e) {
            throw new KineticException("cannot upload data " + source + ": " + e.getMessage(), e);
        }
    }

    /** Regular files in sorted order; symlinks that leave the tree are refused. */
    private static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of(root);
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted().toList()) {
                if (Files.isSymbolicLink(p)) {
                    Path target = p.toRealPath();
                    if (!target.startsWith(root)) {
                        throw new KineticException("data " + root + " contains a symlink " + root.relativize(p)
                                + " that points outside it (to " + target
                                + "); copy the file in, or ship its directory as its own Data");
                    }
                    if (Files.isDirectory(target)) {
                        continue; // its files are shipped where they really are, inside the tree
                    }
                }
                if (Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static String mode(Path f) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS);
            return perms.contains(PosixFilePermission.OWNER_EXECUTE) ? "755" : "644";
        } catch (IOException | UnsupportedOperationException e) {
            return "644";
        }
    }

    static byte[] treeJson(List<Entry> entries) {
        List<JsonText> list = new ArrayList<>();
        for (Entry e : entries) {
            list.add(JsonText.object()
                    .field("path", e.path())
                    .field("mode", e.mode())
                    .field("size", e.size())
                    .field("sha256", e.sha256()));
        }
        return JsonText.object().field("entries", list).end().getBytes(StandardCharsets.UTF_8);
    }
}
