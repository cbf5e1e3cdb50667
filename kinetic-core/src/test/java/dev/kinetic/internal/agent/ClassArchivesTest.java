package dev.kinetic.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real JVMs dump, check and map the archives; a partial one is never put in place. */
class ClassArchivesTest {
    @TempDir
    Path tmp;

    private Path dir;
    private String classpath;
    private ClassArchives archives;

    /** The program the JVMs run: prints one line, so any CDS note on stdout would show. */
    public static final class Hello {
        public static void main(String[] args) {
            Runnable r = () -> System.out.println("hello");
            r.run();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        dir = tmp.resolve("cds");
        Path jar = tmp.resolve("hello.jar");
        String name = Hello.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                InputStream in = Hello.class.getClassLoader().getResourceAsStream(name)) {
            out.putNextEntry(new JarEntry(name));
            in.transferTo(out);
        }
        classpath = jar.toString();
        archives = new ClassArchives(dir);
    }

    @Test
    void firstLaunchDumpsTheNextMapsAndNeitherPrintsAnythingOfItsOwn() throws Exception {
        ClassArchives.Plan first = archives.plan(classpath, List.of());
        assertThat(first.dumps()).isTrue();
        assertThat(first.options()).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
        assertThat(run(first)).isEqualTo("hello\n");
        assertThat(archives.plan(classpath, List.of()))
                .as("a dump in progress is not claimed twice")
                .isEqualTo(ClassArchives.Plan.NONE);

        assertThat(archives.finish(first, classpath, true)).isTrue();
        assertThat(first.target()).isRegularFile();
        assertThat(first.part()).doesNotExist();
        assertThat(first.lock()).doesNotExist();

        ClassArchives.Plan second = archives.plan(classpath, List.of());
        assertThat(second.dumps()).isFalse();
        assertThat(second.archive()).isEqualTo(first.target());
        assertThat(second.options()).contains("-XX:SharedArchiveFile=" + first.target());
        assertThat(run(second)).isEqualTo("hello\n");
    }

    @Test
    void aPartialArchiveIsDiscardedAndTheNextLaunchDumpsAgain() throws Exception {
        ClassArchives.Plan first = archives.plan(classpath, List.of());
        run(first);
        byte[] whole = Files.readAllBytes(first.part());
        Files.write(first.part(), java.util.Arrays.copyOf(whole, whole.length / 3)); // as if killed mid-dump

        assertThat(archives.finish(first, classpath, true)).isFalse();
        assertThat(first.target()).doesNotExist();
        assertThat(first.part()).doesNotExist();
        assertThat(first.lock()).doesNotExist();
        assertThat(archives.plan(classpath, List.of()).dumps()).isTrue();
    }

    @Test
    void aLaterLauncherFinishesTheDumpOfAnExitedProcessAndWaitsForALiveOne() throws Exception {
        ClassArchives.Plan first = archives.plan(classpath, List.of());
        Process dumping = start(first);
        archives.dumping(first, ProcessIdentity.of(dumping.pid()));
        assertThat(dumping.waitFor()).isZero();

        ClassArchives.Plan later = archives.plan(classpath, List.of());
        assertThat(later.archive()).as("promoted by the next launcher").isEqualTo(first.target());
        assertThat(first.target()).isRegularFile();

        Files.delete(first.target());
        ClassArchives.Plan again = archives.plan(classpath, List.of());
        archives.dumping(again, ProcessIdentity.of(ProcessHandle.current().pid()));
        assertThat(archives.plan(classpath, List.of()))
                .as("its dumping process is alive")
                .isEqualTo(ClassArchives.Plan.NONE);
    }

    @Test
    void anArchiveBelongsToTheVmOptionsItWasDumpedWith() throws Exception {
        ClassArchives.Plan serial =
                archives.plan(classpath, List.of("-XX:+UseSerialGC", "-Xmx64m", "-Dnot.a.vm.option=1"));
        assertThat(serial.vmOptions()).containsExactly("-XX:+UseSerialGC", "-Xmx64m");
        assertThat(run(serial)).isEqualTo("hello\n");
        assertThat(archives.finish(serial, classpath, true))
                .as("checked with the same options")
                .isTrue();

        ClassArchives.Plan plain = archives.plan(classpath, List.of());
        assertThat(plain.dumps()).as("other options, another archive").isTrue();
        assertThat(plain.target()).isNotEqualTo(serial.target());
        assertThat(archives.plan(classpath, List.of("-XX:+UseSerialGC", "-Xmx64m"))
                        .archive())
                .isEqualTo(serial.target());
    }

    @Test
    void theUsersOwnSharingOptionsAndClassDirectoriesGetNoArchive() throws Exception {
        assertThat(archives.plan(classpath, List.of("-Xshare:off"))).isEqualTo(ClassArchives.Plan.NONE);
        assertThat(archives.plan(classpath, List.of("-XX:SharedArchiveFile=/mine.jsa")))
                .isEqualTo(ClassArchives.Plan.NONE);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        assertThat(archives.plan(classpath + java.io.File.pathSeparator + classes, List.of()))
                .isEqualTo(ClassArchives.Plan.NONE);
        assertThat(dir.toFile().list()).as("nothing claimed").isNullOrEmpty();
    }

    private String run(ClassArchives.Plan plan) throws Exception {
        Process p = start(plan);
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private Process start(ClassArchives.Plan plan) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ClassArchives.javaExecutable()));
        cmd.addAll(plan.vmOptions());
        cmd.addAll(plan.options());
        cmd.addAll(List.of("-cp", classpath, Hello.class.getName()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }
}
