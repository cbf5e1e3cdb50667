package dev.kinetic.backend.kubernetes;

import dev.kinetic.KineticException;
import dev.kinetic.image.AgentJars;
import dev.kinetic.image.BuiltImage;
import dev.kinetic.image.ImageBuildListener;
import dev.kinetic.image.RuntimeImage;
import dev.kinetic.spi.store.BlobStoreProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds or reuses the runtime image for the configured registry, once per backend and image settings: the
 * first submit pays for the registry round trips (and a build, if the inputs changed), later ones reuse the
 * answer. Progress goes to SLF4J, as the Backend SPI has no progress channel.
 */
final class RuntimeImageResolver {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeImageResolver.class);

    private final Map<String, String> environment;
    private final Map<ImageSettings, String> resolved = new ConcurrentHashMap<>();

    RuntimeImageResolver(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * The pinned reference ({@code repo:tag@sha256:...}) of the image for {@code settings}.
     *
     * @throws KineticException naming the registry if it is unreachable or refuses, or the missing store module
     */
    String resolve(ImageSettings settings, String storeUri) {
        List<Path> agentJars = AgentJars.discover(settings.extraAgentJars());
        checkStoreModule(storeUri, agentJars);
        // computeIfAbsent: concurrent first submits build once; the others wait for the same answer.
        return resolved.computeIfAbsent(settings, s -> build(s, agentJars));
    }

    /**
     * The reference {@link #resolve} would give ({@code REGISTRY/REPOSITORY:TAG}, without the digest), building and
     * pushing nothing: for a dry run.
     */
    String planned(ImageSettings settings, String storeUri) {
        List<Path> agentJars = AgentJars.discover(settings.extraAgentJars());
        checkStoreModule(storeUri, agentJars);
        return image(settings, agentJars).build().plannedReference();
    }

    private String build(ImageSettings s, List<Path> agentJars) {
        BuiltImage built = image(s, agentJars).build().buildOrReuse();
        return built.pinned();
    }

    private RuntimeImage.Builder image(ImageSettings s, List<Path> agentJars) {
        RuntimeImage.Builder image = RuntimeImage.builder()
                .registry(s.registry())
                .allowInsecure(s.insecure())
                .agentJars(agentJars)
                .environment(environment)
                .listener(new ImageBuildListener() {
                    @Override
                    public void step(String message) {
                        LOG.info("runtime image: {}", message);
                    }
                });
        if (s.base() != null) {
            image.base(s.base());
        }
        return image;
    }

    /** Pods open the store with the agent's classpath, so the store module must be in the agent layer. */
    private static void checkStoreModule(String storeUri, List<Path> agentJars) {
        String scheme = URI.create(storeUri).getScheme();
        for (BlobStoreProvider p :
                ServiceLoader.load(BlobStoreProvider.class, RuntimeImageResolver.class.getClassLoader())) {
            if (!p.scheme().equals(scheme)) {
                continue;
            }
            Path jar = jarOf(p.getClass());
            if (jar == null || !agentJars.contains(jar)) {
                throw new KineticException("the runtime image would lack the store module for " + scheme + ": ("
                        + storeUri
                        + ", provided by " + (jar == null ? p.getClass().getName() : jar) + "), so pods could not open "
                        + "the store; add it and its SDK's jars to KINETIC_IMAGE_AGENT_JARS (option image-agent-jars, "
                        + "jars or DIR/* separated by ':', e.g. the output of `mvn dependency:copy-dependencies`)");
            }
            return;
        }
    }

    private static Path jarOf(Class<?> c) {
        try {
            var source = c.getProtectionDomain().getCodeSource();
            return source == null
                    ? null
                    : Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
