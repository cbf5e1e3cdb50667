package dev.kinetic.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where things go in the runtime image. The agent's directory matches the Kubernetes backend's default
 * {@code agent-classpath}; the bundle directory is the agent's download cache ({@code KINETIC_CACHE_DIR}), whose
 * files are named by their sha256, so the agent finds bundled entries there and downloads only what is missing.
 * Changing anything here means bumping {@link ImageTag#LAYOUT}.
 */
final class ImageLayout {
    static final String AGENT_DIR = "/opt/kinetic/lib";
    static final String AGENT_CLASSPATH = AGENT_DIR + "/*";
    static final String BUNDLE_CACHE_DIR = "/opt/kinetic/app/cas";
    static final String CACHE_DIR_ENV = "KINETIC_CACHE_DIR";
    static final String AGENT_MAIN_CLASS = "dev.kinetic.internal.agent.Agent";

    static final String LABEL_VERSION = "dev.kinetic.version";
    static final String LABEL_AGENT_CLASSPATH = "dev.kinetic.agent-classpath";
    static final String LABEL_BUNDLE = "dev.kinetic.bundle";

    private static final FilePermissions READ_ONLY = FilePermissions.fromOctalString("644");

    private ImageLayout() {}

    static FileEntriesLayer agentLayer(List<Path> jars) {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("kinetic-agent");
        Set<String> names = new HashSet<>();
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            if (!names.add(name)) {
                throw new ImageException("two agent jars are both named " + name + " (one is " + jar + "); they would "
                        + "overwrite each other in " + AGENT_DIR + ", so pass only one of them");
            }
            layer.addEntry(jar, AbsoluteUnixPath.get(AGENT_DIR).resolve(name), READ_ONLY);
        }
        return layer.build();
    }

    /** A layer of bundled classpath entries, each at {@code BUNDLE_CACHE_DIR/<sha256>}. */
    static FileEntriesLayer bundleLayer(String name, List<Path> staged) {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        for (Path file : staged) {
            layer.addEntry(
                    file,
                    AbsoluteUnixPath.get(BUNDLE_CACHE_DIR)
                            .resolve(file.getFileName().toString()),
                    READ_ONLY);
        }
        return layer.build();
    }
}
