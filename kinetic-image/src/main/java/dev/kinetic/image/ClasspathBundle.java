package dev.kinetic.image;

import dev.kinetic.spi.ClasspathSnapshot;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStores;
import dev.kinetic.spi.store.TransferListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's classpath as the agent will ask for it: each entry under the sha256 the submitter's snapshot gives
 * it (class directories packed into jars exactly as the core packs them, by the core's own code), split into
 * dependencies (jars) and project classes (directories), which change more often and so go in the top layer.
 *
 * @param dependencies the bundled jars, as files named by their sha256, in classpath order
 * @param project the packed class directories, likewise
 */
record ClasspathBundle(List<Path> dependencies, List<Path> project) {
    ClasspathBundle {
        dependencies = List.copyOf(dependencies);
        project = List.copyOf(project);
    }

    /** No bundle: the agent downloads the classpath from the store. */
    static final ClasspathBundle NONE = new ClasspathBundle(List.of(), List.of());

    /**
     * Snapshots {@code classpath} into a staging store under {@code stagingDir} (kept between builds, so an
     * unchanged classpath is not copied again).
     */
    static ClasspathBundle stage(List<Path> classpath, Path stagingDir) {
        Path stagingRoot = stagingDir.resolve("store");
        List<JobRecord.Artifact> artifacts;
        try (BlobStore staging = BlobStores.open(stagingRoot.toUri(), java.util.Map.of())) {
            artifacts = new ClasspathSnapshot(stagingDir.resolve("hashes"))
                    .snapshot(classpath, staging, TransferListener.NONE);
        }
        List<Path> dependencies = new ArrayList<>();
        List<Path> project = new ArrayList<>();
        for (int i = 0; i < artifacts.size(); i++) {
            Path staged = stagingRoot.resolve(JobLayout.cas(artifacts.get(i).sha256())); // a directory store's layout
            if (!Files.isRegularFile(staged)) {
                throw new ImageException("bundling the classpath: " + classpath.get(i) + " was not staged at " + staged
                        + "; delete " + stagingDir + " and build again");
            }
            (Files.isDirectory(classpath.get(i)) ? project : dependencies).add(staged);
        }
        return new ClasspathBundle(dependencies, project);
    }

    boolean isEmpty() {
        return dependencies.isEmpty() && project.isEmpty();
    }

    /** The sha256 of every bundled entry (its file name), dependencies first. */
    List<String> hashes() {
        List<String> out = new ArrayList<>();
        dependencies.forEach(p -> out.add(p.getFileName().toString()));
        project.forEach(p -> out.add(p.getFileName().toString()));
        return out;
    }
}
