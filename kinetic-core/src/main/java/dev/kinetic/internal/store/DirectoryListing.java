package dev.kinetic.internal.store;

import dev.kinetic.spi.store.BlobInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Lists a {@link DirectoryBlobStore}'s objects: every file under a prefix with its size and time, from one walk of
 * the directory tree. Files deleted while the walk runs are not listed; the store's temporary directory never is.
 */
final class DirectoryListing {
    /**
     * Directories with this many entries or more are listed on all cores (all jobs: 10 000 entries). Not lower: for a
     * few hundred entries (a 1 GiB log's segments) starting the parallel walk costs more than it saves.
     */
    private static final int PARALLEL_LISTING_FROM = 1024;
    /** Not a lambda: the agent lists with this store on its start-up path (see Agent). */
    private static final Comparator<BlobInfo> BY_KEY = new Comparator<>() {
        @Override
        public int compare(BlobInfo a, BlobInfo b) {
            return a.key().compareTo(b.key());
        }
    };

    private final Path root;
    private final String tempDir;

    DirectoryListing(Path root, String tempDir) {
        this.root = root;
        this.tempDir = tempDir;
    }

    /** Every object whose key starts with {@code prefix}, found under {@code start}, sorted by key. */
    List<BlobInfo> list(Path start, String prefix) throws IOException {
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<BlobInfo> out = new ArrayList<>();
        try {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(start)) {
                for (Path p : entries) {
                    children.add(p);
                }
            }
            if (children.size() < PARALLEL_LISTING_FROM) {
                Files.walkFileTree(start, new Lister(prefix, start, out));
            } else {
                // Listing all jobs walks three entries per job: the subtrees go to all cores.
                ConcurrentLinkedQueue<BlobInfo> found = new ConcurrentLinkedQueue<>();
                children.parallelStream().forEach(child -> found.addAll(walk(child, prefix, start)));
                out.addAll(found);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.sort(BY_KEY);
        return out;
    }

    private List<BlobInfo> walk(Path child, String prefix, Path start) {
        List<BlobInfo> mine = new ArrayList<>();
        try {
            Files.walkFileTree(child, new Lister(prefix, start, mine));
        } catch (NoSuchFileException e) {
            return List.of(); // deleted while we walked: not listed
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return mine;
    }

    /** The immediate "sub-directories" under {@code prefix}, found in {@code start}, each with a trailing '/'. */
    List<String> listPrefixes(Path start, String prefix) throws IOException {
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        TreeSet<String> out = new TreeSet<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(start)) {
            for (Path p : children) {
                String key = keyOf(p);
                if (key != null && key.startsWith(prefix) && Files.isDirectory(p)) {
                    out.add(key + "/");
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return new ArrayList<>(out);
    }

    private String keyOf(Path p) {
        Path rel = root.relativize(p);
        String key = rel.toString().replace('\\', '/');
        if (key.isEmpty() || key.equals(tempDir) || key.startsWith(tempDir + "/")) {
            return null;
        }
        return key;
    }

    /**
     * Collects the files under a prefix. walkFileTree hands over each file's attributes with the directory entry: one
     * system call per file fewer than walking and then reading attributes.
     */
    private final class Lister extends SimpleFileVisitor<Path> {
        private final String prefix;
        private final Path start;
        private final List<BlobInfo> out;

        Lister(String prefix, Path start, List<BlobInfo> out) {
            this.prefix = prefix;
            this.start = start;
            this.out = out;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            String key = keyOf(dir);
            if (key != null
                    && !prefix.startsWith(key + "/")
                    && !(key + "/").startsWith(prefix)
                    && !key.startsWith(prefix)) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            return key == null && !dir.equals(root) && !dir.equals(start)
                    ? FileVisitResult.SKIP_SUBTREE
                    : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String key = keyOf(file);
            if (key != null && attrs.isRegularFile() && key.startsWith(prefix)) {
                out.add(new BlobInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE; // deleted while we walked: not listed
            }
            throw e;
        }
    }
}
