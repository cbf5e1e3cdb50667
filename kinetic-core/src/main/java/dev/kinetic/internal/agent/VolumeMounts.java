package dev.kinetic.internal.agent;

import dev.kinetic.internal.protocol.FailurePhase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/** Makes each volume appear at its mount path: a symlink to the verified, read-only copy of its data. */
public final class VolumeMounts {
    private VolumeMounts() {}

    /**
     * @param volumes mount path to the data's directory name under {@code dataDir}
     */
    public static void mount(Map<String, String> volumes, Path dataDir) throws AgentFailure {
        for (Map.Entry<String, String> v : volumes.entrySet()) {
            Path mount = Path.of(v.getKey());
            Path target = dataDir.resolve(v.getValue());
            try {
                if (Files.isSymbolicLink(mount)) {
                    if (Files.readSymbolicLink(mount).equals(target)) {
                        continue;
                    }
                    if (Files.readSymbolicLink(mount).startsWith(dataDir)) {
                        Files.delete(mount); // an earlier job's volume: ours replaces it
                    }
                }
                if (Files.exists(mount, LinkOption.NOFOLLOW_LINKS)) {
                    throw new AgentFailure(
                            FailurePhase.DATA,
                            "volume mount path " + mount + " already exists and is "
                                    + "not a Kinetic volume; choose another mount path");
                }
                Files.createDirectories(mount.toAbsolutePath().getParent());
                Files.createSymbolicLink(mount, target);
            } catch (IOException e) {
                throw new AgentFailure(FailurePhase.DATA, "cannot mount volume at " + mount + ": " + e, e);
            }
        }
    }
}
