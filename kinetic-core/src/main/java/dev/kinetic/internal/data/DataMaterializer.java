package dev.kinetic.internal.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.internal.protocol.PayloadFile;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.Json;
import dev.kinetic.spi.store.BlobNotFoundException;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.StoreKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The agent's side of {@link DataUploader}: places each data tree of a job under the data directory, verifying
 * every file's hash, read-only, and the objects of store data ({@link StoreData}). A tree already there (from an
 * earlier job) is reused.
 */
public final class DataMaterializer {
    private final BlobStore store;
    private final Path dataDir;
    private final Map<String, String> environment;

    public DataMaterializer(BlobStore store, Path dataDir, Map<String, String> environment) {
        this.store = store;
        this.dataDir = dataDir;
        this.environment = environment;
    }

    /** Raised with the key and expected hash when data is missing or corrupt. */
    public static final class DataException extends Exception {
        private static final long serialVersionUID = 1L;

        DataException(String message) {
            super(message);
        }
    }

    public void materialize(PayloadFile.DataRef ref) throws DataException, IOException {
        Path target = dataDir.resolve(ref.key());
        if (Files.isDirectory(target)) {
            return;
        }
        Files.createDirectories(dataDir);
        Path tmp = Files.createTempDirectory(dataDir, ".part-");
        try {
            if (ref.treeSha256() != null) {
                fromTree(ref.treeSha256(), tmp);
            } else {
                StoreData.place(ref.storeUri(), tmp, environment);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                deleteTree(tmp); // another agent placed it first: identical content
            }
        } catch (DataException | IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    private void fromTree(String treeSha, Path into) throws DataException, IOException {
        if (!store.exists(DataUploader.marker(treeSha))) {
            throw new DataException("data tree " + treeSha + " was never completely uploaded to " + store.uri()
                    + " (no " + DataUploader.marker(treeSha) + "); submit the job again");
        }
        byte[] tree = store.get(JobLayout.cas(treeSha))
                .orElseThrow(() -> new DataException("data tree " + JobLayout.cas(treeSha) + " (sha256 " + treeSha
                        + ") is missing from " + store.uri()));
        if (!Hashing.sha256(tree).equals(treeSha)) {
            throw new DataException("data tree " + JobLayout.cas(treeSha) + " is corrupt: expected sha256 " + treeSha);
        }
        for (JsonNode e : Json.MAPPER.readTree(tree).path("entries")) {
            String rel = e.path("path").asText();
            String sha = e.path("sha256").asText();
            try {
                StoreKeys.validate(rel);
            } catch (IllegalArgumentException bad) {
                throw new DataException("data tree " + treeSha + " has an unsafe file name '" + rel + "'; refused");
            }
            Path file = into.resolve(rel);
            download(JobLayout.cas(sha), sha, file);
            boolean exec = e.path("mode").asText().equals("755");
            file.toFile().setExecutable(exec, false);
            file.toFile().setWritable(false, false);
        }
    }

    private void download(String key, String sha, Path file) throws DataException, IOException {
        Files.createDirectories(file.getParent());
        String actual;
        try (InputStream in = store.open(key)) {
            actual = Hashing.copy(in, file);
        } catch (BlobNotFoundException e) {
            throw new DataException("data file " + key + " (sha256 " + sha + ") is missing from " + store.uri());
        }
        if (!actual.equals(sha)) {
            throw new DataException("data file " + key + " in " + store.uri() + " is corrupt: expected sha256 " + sha
                    + " but it hashes to " + actual);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover .part- directory is ignored by every reader
        }
    }
}
