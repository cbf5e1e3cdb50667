package dev.kinetic.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.internal.store.DirectoryBlobStore;
import dev.kinetic.spi.store.BlobInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathSnapshotTest {
    @TempDir
    Path tmp;

    @Test
    void classDirectoriesPackDeterministicallyAndUploadOnce() throws Exception {
        Path classes = Files.createDirectories(tmp.resolve("classes/com/example"));
        Files.writeString(classes.resolve("A.class"), "A");
        Files.writeString(classes.resolve("B.class"), "B");
        DirectoryBlobStore store = new DirectoryBlobStore(tmp.resolve("store"));

        List<JobRecord.Artifact> first = new ClasspathSnapshot(tmp.resolve("cache1"))
                .snapshot(List.of(tmp.resolve("classes")), store, dev.kinetic.spi.store.TransferListener.NONE);
        // A fresh cache and new timestamps: the packed bytes must still be identical.
        Files.setLastModifiedTime(classes.resolve("A.class"), FileTime.fromMillis(1_000_000));
        List<JobRecord.Artifact> second = new ClasspathSnapshot(tmp.resolve("cache2"))
                .snapshot(List.of(tmp.resolve("classes")), store, dev.kinetic.spi.store.TransferListener.NONE);

        assertThat(second).isEqualTo(first);
        List<BlobInfo> cas = store.list("cas/");
        assertThat(cas).hasSize(1);
        assertThat(cas.get(0).key()).isEqualTo("cas/" + first.get(0).sha256());
    }

    @Test
    void changedClassesGiveANewEntry() throws Exception {
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "A");
        DirectoryBlobStore store = new DirectoryBlobStore(tmp.resolve("store"));
        ClasspathSnapshot snapshot = new ClasspathSnapshot(tmp.resolve("cache"));
        String before = snapshot.snapshot(List.of(classes), store, dev.kinetic.spi.store.TransferListener.NONE)
                .get(0)
                .sha256();
        Files.writeString(classes.resolve("A.class"), "A2");
        String after = snapshot.snapshot(List.of(classes), store, dev.kinetic.spi.store.TransferListener.NONE)
                .get(0)
                .sha256();
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    @Tag("faults")
    void emptyClasspathIsAClearError() {
        DirectoryBlobStore store = new DirectoryBlobStore(tmp.resolve("store"));
        assertThatThrownBy(() -> new ClasspathSnapshot(tmp)
                        .snapshot(List.of(), store, dev.kinetic.spi.store.TransferListener.NONE))
                .hasMessageContaining("classpath is empty");
    }

    @Test
    void manifestClassPathIsExpanded() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Path dep = lib.resolve("dep.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(dep))) {
            out.putNextEntry(new java.util.zip.ZipEntry("x.txt"));
            out.write(1);
        }
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, "lib/dep.jar");
        Path booter = tmp.resolve("booter.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(booter), m)) {
            out.putNextEntry(new java.util.zip.ZipEntry("y.txt"));
            out.write(2);
        }
        assertThat(ClasspathSnapshot.expand(booter.toString())).containsExactly(booter, dep);
    }
}
