package dev.kinetic.internal.agent;

import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobNotFoundException;
import dev.kinetic.spi.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Downloads the job's payload and classpath entries, verifying each SHA-256 before anything uses the bytes.
 * Classpath entries are cached by hash across jobs; an entry in the cache was verified when it was placed.
 */
public final class ArtifactFetcher {
    private final BlobStore store;
    private final Path cacheDir;

    public ArtifactFetcher(BlobStore store, Path cacheDir) {
        this.store = store;
        this.cacheDir = cacheDir;
    }

    /** A verified local copy of the classpath entry with this hash. */
    public Path classpathEntry(String sha256) throws AgentFailure {
        Path target = cacheDir.resolve(sha256);
        if (Files.exists(target)) {
            return target;
        }
        return fetchVerified(JobLayout.cas(sha256), sha256, target, "classpath entry");
    }

    /** Downloads {@code key} to {@code target}, verifying its SHA-256 before anything uses it. */
    Path fetchVerified(String key, String expectedSha, Path target, String what) throws AgentFailure {
        Path tmp = target.resolveSibling(
                target.getFileName() + ".part-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(target.getParent());
            String actual;
            try (InputStream in = store.open(key)) {
                actual = Hashing.copy(in, tmp);
            }
            if (!actual.equals(expectedSha)) {
                Files.deleteIfExists(tmp);
                throw new AgentFailure(
                        FailurePhase.VERIFY,
                        what + " " + key + " in " + store.uri()
                                + " is corrupt: expected sha256 " + expectedSha + " but it hashes to " + actual
                                + "; nothing was deserialized");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (BlobNotFoundException e) {
            throw new AgentFailure(
                    FailurePhase.DOWNLOAD,
                    what + " " + key + " (sha256 " + expectedSha + ") is missing from " + store.uri(),
                    e);
        } catch (IOException | RuntimeException e) {
            throw new AgentFailure(
                    FailurePhase.DOWNLOAD,
                    "cannot download " + what + " " + key + " from " + store.uri() + ": " + e,
                    e);
        }
    }
}
