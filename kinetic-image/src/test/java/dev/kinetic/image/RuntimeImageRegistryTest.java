package dev.kinetic.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import dev.kinetic.internal.store.DirectoryBlobStore;
import dev.kinetic.spi.ClasspathSnapshot;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.store.TransferListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds, pushes and reuses runtime images against a real registry on 127.0.0.1 ({@link LocalRegistry}). */
class RuntimeImageRegistryTest {
    @TempDir
    static Path shared;

    static LocalRegistry registry;
    static String base;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        if (!LocalRegistry.installed()) {
            return; // every test is skipped with the reason by needsRegistry()
        }
        registry = LocalRegistry.start(shared.resolve("registry"), false);
        base = registry.pushBase("test/base", shared.resolve("base"), "base v1");
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void needsRegistry() {
        LocalRegistry.assumeInstalled();
    }

    @Test
    void firstBuildPushesAndTheSecondReusesTheTagWithoutPushing() throws Exception {
        String repo = "kinetic/reuse";
        List<String> steps = new CopyOnWriteArrayList<>();
        List<Double> progress = new CopyOnWriteArrayList<>();
        ImageBuildListener listener = new ImageBuildListener() {
            @Override
            public void step(String message) {
                steps.add(message);
            }

            @Override
            public void progress(double fractionDone) {
                progress.add(fractionDone);
            }
        };
        BuiltImage first = builder(repo).listener(listener).build().buildOrReuse();

        assertThat(first.reused()).isFalse();
        assertThat(first.digest()).matches("sha256:[0-9a-f]{64}");
        assertThat(first.reference()).matches(registry.address() + "/" + repo + ":[a-z0-9_.-]+-[0-9a-f]{20}");
        assertThat(first.pinned()).isEqualTo(first.reference() + "@" + first.digest());
        assertThat(registry.requests("PUT", "/v2/" + repo + "/manifests/")).isEqualTo(1);
        assertThat(steps).anyMatch(s -> s.startsWith("building ")).anyMatch(s -> s.startsWith("pushed "));
        assertThat(progress).isNotEmpty();
        long uploads = registry.requests("POST", "/v2/" + repo + "/blobs/uploads/");
        assertThat(uploads).isPositive();

        steps.clear();
        BuiltImage second = builder(repo).listener(listener).build().buildOrReuse();

        assertThat(second.reused()).isTrue();
        assertThat(second.reference()).isEqualTo(first.reference());
        assertThat(second.digest()).isEqualTo(first.digest());
        assertThat(registry.requests("PUT", "/v2/" + repo + "/manifests/"))
                .as("no manifest pushed again")
                .isEqualTo(1);
        assertThat(registry.requests("POST", "/v2/" + repo + "/blobs/uploads/"))
                .as("no blob upload started")
                .isEqualTo(uploads);
        assertThat(steps)
                .anyMatch(s -> s.contains("already in the registry"))
                .noneMatch(s -> s.startsWith("building "));
    }

    @Test
    void aChangedAgentJarOrBaseGivesANewTag() throws Exception {
        Path store = jar(tmp.resolve("a/kinetic-store.jar"), "store v1");
        List<Path> jars = new ArrayList<>(AgentJars.discover());
        jars.add(store);
        BuiltImage v1 = builder("kinetic/change").agentJars(jars).build().buildOrReuse();

        jar(store, "store v2");
        BuiltImage v2 = builder("kinetic/change").agentJars(jars).build().buildOrReuse();
        assertThat(v2.reused()).isFalse();
        assertThat(v2.reference()).isNotEqualTo(v1.reference());
        assertThat(v2.digest()).isNotEqualTo(v1.digest());

        String otherBase = registry.pushBase("test/base-other", tmp.resolve("other-base"), "base v2");
        BuiltImage v3 = builder("kinetic/change")
                .base(otherBase)
                .agentJars(jars)
                .build()
                .buildOrReuse();
        assertThat(v3.reused()).isFalse();
        assertThat(v3.reference()).isNotEqualTo(v2.reference());

        BuiltImage v4 = builder("kinetic/change")
                .agentJars(jars)
                .kineticVersion("9.9.9")
                .build()
                .buildOrReuse();
        assertThat(v4.reference()).contains(":9.9.9-").isNotEqualTo(v2.reference());
    }

    @Test
    void theImageHoldsTheAgentLayerAndAnEntrypointTheJobSpecCanOverride() throws Exception {
        BuiltImage image = builder("kinetic/layout").build().buildOrReuse();
        ImageReference ref = ImageReference.parse(image.reference());
        RegistryReader reader = new RegistryReader(ref);

        BuildableManifestTemplate manifest = reader.manifest(image.digest());
        int baseLayers = reader.manifestLayers(base);
        assertThat(manifest.getLayers()).hasSize(baseLayers + 1);
        List<String> agentFiles =
                reader.layerFiles(manifest.getLayers().get(baseLayers).getDigest());
        assertThat(agentFiles)
                .hasSize(AgentJars.discover().size())
                .allMatch(f -> f.startsWith("/opt/kinetic/lib/") && f.endsWith(".jar"))
                .anyMatch(f -> f.contains("kinetic-core"))
                .anyMatch(f -> f.contains("jackson-databind"))
                .anyMatch(f -> f.contains("slf4j-api"));

        JsonNode config = reader.config(image.digest()).get("config");
        assertThat(texts(config.get("Entrypoint")))
                .containsExactly("java", "-cp", "/opt/kinetic/lib/*", "dev.kinetic.internal.agent.Agent");
        assertThat(config.get("Cmd") == null
                        || config.get("Cmd").isNull()
                        || config.get("Cmd").isEmpty())
                .as("the base's CMD (jshell) is not inherited as agent arguments: %s", config.get("Cmd"))
                .isTrue();
        assertThat(texts(config.get("Env")))
                .contains("PATH=/opt/jre/bin:/usr/bin:/bin")
                .noneMatch(e -> e.startsWith("KINETIC_CACHE_DIR="));
        assertThat(config.get("Labels").get("dev.kinetic.agent-classpath").asText())
                .isEqualTo("/opt/kinetic/lib/*");
        assertThat(config.get("Labels").get("dev.kinetic.bundle").asText()).isEqualTo("false");
    }

    @Test
    void bundleModeAddsDependenciesThenProjectClassesUnderTheAgentsCacheNames() throws Exception {
        Path dependency = jar(tmp.resolve("lib/dep.jar"), "dependency");
        Path classes = Files.createDirectories(tmp.resolve("classes/com/acme"));
        Files.writeString(classes.resolve("Train.class"), "not really bytecode");
        List<Path> classpath = List.of(dependency, tmp.resolve("classes"));

        BuiltImage plain = builder("kinetic/bundle").build().buildOrReuse();
        BuiltImage bundled = builder("kinetic/bundle").bundle(classpath).build().buildOrReuse();
        assertThat(bundled.reference()).isNotEqualTo(plain.reference());

        // The hashes the submitter's snapshot gives these entries: the agent asks for exactly these names.
        List<JobRecord.Artifact> expected = new ClasspathSnapshot(tmp.resolve("hashes"))
                .snapshot(classpath, new DirectoryBlobStore(tmp.resolve("store")), new TransferListener() {});
        RegistryReader reader = new RegistryReader(ImageReference.parse(bundled.reference()));
        BuildableManifestTemplate manifest = reader.manifest(bundled.digest());
        int n = manifest.getLayers().size();
        assertThat(n)
                .isEqualTo(new RegistryReader(ImageReference.parse(plain.reference()))
                                .manifest(plain.digest())
                                .getLayers()
                                .size()
                        + 2);
        assertThat(reader.layerFiles(manifest.getLayers().get(n - 2).getDigest()))
                .containsExactly("/opt/kinetic/app/cas/" + expected.get(0).sha256());
        assertThat(reader.layerFiles(manifest.getLayers().get(n - 1).getDigest()))
                .containsExactly("/opt/kinetic/app/cas/" + expected.get(1).sha256());
        JsonNode config = reader.config(bundled.digest()).get("config");
        assertThat(texts(config.get("Env"))).contains("KINETIC_CACHE_DIR=/opt/kinetic/app/cas");
        assertThat(config.get("Labels").get("dev.kinetic.bundle").asText()).isEqualTo("true");

        BuiltImage again = builder("kinetic/bundle").bundle(classpath).build().buildOrReuse();
        assertThat(again.reused()).isTrue();
        assertThat(again.digest()).isEqualTo(bundled.digest());
    }

    @Test
    void aMissingBaseIsNamed() {
        String missing = registry.address() + "/test/no-such-base:17";
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> builder("kinetic/x").base(missing).build().buildOrReuse())
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("base image " + missing + " does not exist");
    }

    private RuntimeImage.Builder builder(String repository) {
        return RuntimeImage.builder()
                .registry(registry.address() + "/" + repository)
                .base(base)
                .allowInsecure(true)
                .cacheDirectory(shared.resolve("cache"))
                .environment(Map.of("DOCKER_CONFIG", shared.resolve("no-docker").toString()));
    }

    static Path jar(Path path, String content) throws Exception {
        Files.createDirectories(path.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(path))) {
            out.putNextEntry(new ZipEntry("content.txt"));
            out.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return path;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
